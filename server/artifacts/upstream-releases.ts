import "server-only";
import type { ArtifactArch, LibcPolicy, Release } from "@/lib/contracts/artifacts";

// The upstream releases as data. `releases.ts` expands it into releases and validates the
// result with zod (lib/contracts/artifacts.ts); nothing here is fetched at build or test time.
//
// Sums: the projects' published sha256 as recorded by Kubespray, which verifies every download with them:
//   kubernetes-sigs/kubespray roles/kubespray_defaults/vars/main/checksums.yml @ 005bdce7f1867958838a2d0bb4f7e67893d98f64
//     (containerd 1.7.30 .. 2.2.1, containerd-static, runc 1.1.15 .. 1.3.4, CNI plugins 1.6.2 .. 1.8.0)
//   kubernetes-sigs/kubespray roles/kubespray-defaults/defaults/main/checksums.yml @ 011b76d5c5c190101fffe57bfbd5e9346e62c0a5
//     (containerd 1.7.22, CNI plugins 1.1.1 and 1.4.0)
// Adding a version: copy the sums from the release's own checksum file (containerd: `<file>.sha256sum`,
// runc: `runc.sha256sum`, CNI: `<file>.sha256`). A version without a known sum may be listed with
// `null`: the host then fetches that checksum file itself and verifies against it (see stage.ts).
//
// glibc: the dynamically linked containerd tarball needs the glibc it was built against (containerd's
// release notes, "Which file should I download?"): 2.31 (Ubuntu 20.04) up to 2.1
// (containerd/containerd#8021 moved release builds to 20.04 before 1.7.0; notes of v2.0.0 #10939 and
// v2.1.0-beta.0 #11510), 2.35 (Ubuntu 22.04) from 2.2 (notes of v2.2.0-rc.0 #12413 and v2.2.0 #12473).
// It does not run on musl (Alpine) at all. The static tarball (`containerd-static-...`, from 1.7) runs
// on both. runc and the CNI plugins are static Go binaries.

type Sums = Partial<Record<ArtifactArch, string | null>>;

export interface UpstreamComponent {
  urlPattern: string; // {version} {arch} {file}
  filePattern: string;
  /** The project's checksum file, for versions listed with a null sum. */
  sumsPattern: string;
  libc: (version: string) => LibcPolicy;
  versions: Record<string, Sums>;
}

const containerdLibc = (version: string): LibcPolicy => {
  const [major, minor] = version.split(".").map(Number);
  const modern = major > 2 || (major === 2 && minor >= 2);
  return {
    glibcMin: modern ? "2.35" : "2.31",
    musl: false,
    reference: modern
      ? "containerd v2.2 release notes: dynamically linked with glibc 2.35 (Ubuntu 22.04)"
      : "containerd release notes (1.7 to 2.1): dynamically linked with glibc 2.31 (Ubuntu 20.04)",
  };
};

const staticLibc: LibcPolicy = { glibcMin: null, musl: true, reference: "statically linked" };

export const upstream: Record<"containerd" | "containerd-static" | "runc" | "cni-plugins", UpstreamComponent> = {
  containerd: {
    urlPattern: "https://github.com/containerd/containerd/releases/download/v{version}/{file}",
    filePattern: "containerd-{version}-linux-{arch}.tar.gz",
    sumsPattern: "https://github.com/containerd/containerd/releases/download/v{version}/{file}.sha256sum",
    libc: containerdLibc,
    versions: {
      "2.2.1": {
        amd64: "f5d8e90ecb6c1c7e33ecddf8cc268a93b9e5b54e0e850320d765511d76624f41",
        arm64: "dac15a0d412a24be8bfe6a40cec8f51829062725169f1e72ac7d120a891ef5b6",
      },
      "2.1.6": {
        amd64: "4793dc5c1f34ebf8402990d0050f3c294aa3c794cd5a4baa403c1cf10602326d",
        arm64: "88d6e32348c36628c8500a630c6dd4b3cb8c680b1d18dc8d1d19041f67757c6e",
      },
      "2.0.7": {
        amd64: "6dc663cd245d19c3e68260ca86247469563a31decac925087b62a2a819dfcbee",
        arm64: "e590e39956a451ff692454ea991961b08627c514dcc253e8845d2a57f9a78e2f",
      },
      "1.7.30": {
        amd64: "ca0f27e34411504acd1cd24fcbaa71b9c47d31ce9408c47c54a2dc1810ceb1df",
        arm64: "a09c3b01b3b6935e839c8a9588b5528c57ebfca4747d816654a7d1e7575c0a63",
      },
      "1.7.22": {
        amd64: "f8b2d935d1f86003f4e0c1af3b9f0d2820bacabe6dc9f562785b74af24c5e468",
        arm64: "48d0a8461ae829b12b07c3663b14b70287d0607a0792719c51b4e4dd700b02ce",
      },
    },
  },
  "containerd-static": {
    urlPattern: "https://github.com/containerd/containerd/releases/download/v{version}/{file}",
    filePattern: "containerd-static-{version}-linux-{arch}.tar.gz",
    sumsPattern: "https://github.com/containerd/containerd/releases/download/v{version}/{file}.sha256sum",
    libc: () => staticLibc,
    versions: {
      "2.2.1": {
        amd64: "af3e82bac6abed58d45956c653244aa2be583359a9753614278ef652012f2883",
        arm64: "6b3b011ee388638eace05ac3be0eb32dfb4a43086695c29d06e997febd336f2e",
      },
      "2.1.6": {
        amd64: "577900a5a8684c27e344aeeb1fc64e355745f58cba7f83c53649235ba25abbbf",
        arm64: "9da292010d36d80afa3bb48cbd15f65d3bf38177217060272a1c3fd65351cfa4",
      },
      "2.0.7": {
        amd64: "23371338ea3d930f020f6ad476a608aa8196ecdd016f9f5cd511c87cf37f86b7",
        arm64: "cb46d915f8dea6e94fccd204f29bdb3cbe502d7deb9220a6e662cb33f29784fb",
      },
      "1.7.30": {
        amd64: "290eea517a7aa919aa319563f8270d284ab5197736362285da09b198b76a34b5",
        arm64: "1458b3c4a20eb1305bb1d4680c660d0726fa7709acdd95ec7c0fd6bdd632c36a",
      },
      "1.7.22": {
        amd64: "d42192685f9fc8b6761c648ed5f0a4ea10b21c4288444d575c5608b42b20eb17",
        arm64: "a4cc5c572b587799550d4fdb27b3f3f86bc0fc9d93a7b9b468e704df9d052c5c",
      },
    },
  },
  runc: {
    urlPattern: "https://github.com/opencontainers/runc/releases/download/v{version}/{file}",
    filePattern: "runc.{arch}",
    sumsPattern: "https://github.com/opencontainers/runc/releases/download/v{version}/runc.sha256sum",
    libc: () => staticLibc,
    versions: {
      "1.3.4": {
        amd64: "5966ca40b6187b30e33bfc299c5f1fe72e8c1aa01cf3fefdadf391668f47f103",
        arm64: "d6dcab36d1b6af1b72c7f0662e5fcf446a291271ba6006532b95c4144e19d428",
      },
      "1.2.9": {
        amd64: "b21fda1d5a1510b19c3f6fb43ecb3a92887654a9d0c2b64e84b8b08f24ff0e30",
        arm64: "c155ae4716480be73a1c3bbedfa23df179800ba39ca83eb59f5b1b9b72a7ecbd",
      },
      "1.1.15": {
        amd64: "d218e1f8be4dcb1f288dea754faee342375a36f695eac5ab37fc8b7270a78763",
        arm64: "c680f8c470ffb228944ca80e1a4dbb6768b3ad97057350852e128847f9dd10bc",
      },
    },
  },
  "cni-plugins": {
    urlPattern: "https://github.com/containernetworking/plugins/releases/download/v{version}/{file}",
    filePattern: "cni-plugins-linux-{arch}-v{version}.tgz",
    sumsPattern: "https://github.com/containernetworking/plugins/releases/download/v{version}/{file}.sha256",
    libc: () => staticLibc,
    versions: {
      "1.8.0": {
        amd64: "ab3bda535f9d90766cccc90d3dddb5482003dd744d7f22bcf98186bf8eea8be6",
        arm64: "57ce466fc3b79db1f19b8f4c63e07a1112306efa53c94fe810a2150dd9e07ddb",
      },
      "1.7.1": {
        amd64: "1a28a0506bfe5bcdc981caf1a49eeab7e72da8321f1119b7be85f22621013098",
        arm64: "119fcb508d1ac2149e49a550752f9cd64d023a1d70e189b59c476e4d2bf7c497",
      },
      "1.6.2": {
        amd64: "b8e811578fb66023f90d2e238d80cec3bdfca4b44049af74c374d4fae0f9c090",
        arm64: "01e0e22acc7f7004e4588c1fe1871cc86d7ab562cd858e1761c4641d89ebfaa4",
      },
      "1.4.0": {
        amd64: "c2485ddb3ffc176578ae30ae58137f0b88e50f7c7f2af7d53a569276b2949a33",
        arm64: "304d4389d5b732b7a73513d002c4895f731d030682d40653f411e10e39114194",
      },
      "1.1.1": {
        amd64: "b275772da4026d2161bf8a8b41ed4786754c8a93ebfb6564006d5da7f23831e5",
        arm64: "16484966a46b4692028ba32d16afd994e079dc2cc63fbc2191d7bfaf5e11f3dd",
      },
    },
  },
};

const fill = (pattern: string, values: Record<string, string>) => pattern.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`);

/** Expand the table into releases (validated by the caller). */
export function upstreamReleases(table = upstream): Release[] {
  return Object.entries(table).flatMap(([name, c]) =>
    Object.entries(c.versions).map(([version, sums]): Release => {
      const files: Release["files"] = {};
      for (const [arch, sha256] of Object.entries(sums) as [ArtifactArch, string | null][]) {
        const file = fill(c.filePattern, { version, arch });
        files[arch] = {
          file,
          url: fill(c.urlPattern, { version, arch, file }),
          sha256,
          sumsUrl: fill(c.sumsPattern, { version, arch, file }),
        };
      }
      return {
        component: name === "containerd-static" ? "containerd" : (name as Release["component"]),
        variant: name === "containerd-static" ? "static" : "default",
        version,
        source: "upstream",
        files,
        libc: c.libc(version),
      };
    }),
  );
}
