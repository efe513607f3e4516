// Release artifacts for tests and practice, in exactly the upstream layout, built from Debian's
// packages (nothing may be downloaded from GitHub here):
//   containerd-<v>-linux-amd64.tar.gz   bin/containerd, bin/ctr, bin/containerd-shim*
//   runc.amd64                          one binary (Debian's links libseccomp dynamically)
//   cni-plugins-linux-amd64-v<v>.tgz    flat plugin files (./bridge, ./host-local, ...)
//   containerd.service                  the upstream unit
//   SHA256SUMS, releases.json           sums and versions for the artifact release list
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sha256File, writeSha256Sums } from "../sha256sums";

export interface LocalReleases {
  containerd: { version: string; file: string; sha256: string };
  runc: { version: string; file: string; sha256: string };
  cni: { version: string; file: string; sha256: string };
  service: { file: string; sha256: string };
}

/** "1.6.20~ds1-1+deb12u3" -> "1.6.20": the upstream version inside a Debian version. */
export function upstreamVersion(debianVersion: string): string {
  const noEpoch = debianVersion.replace(/^\d+:/, "");
  const m = /^(\d+(?:\.\d+)*)/.exec(noEpoch);
  if (!m) throw new Error(`cannot read an upstream version from ${debianVersion}`);
  return m[1];
}

const run = (cmd: string, args: string[], cwd?: string) =>
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });

export async function buildArtifacts(outDir: string): Promise<LocalReleases> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-artifacts-"));
  try {
    run("apt-get", ["download", "containerd", "runc", "containernetworking-plugins"], work);
    const debs = fs.readdirSync(work).filter((f) => f.endsWith(".deb"));
    const extract = (pkg: string) => {
      const deb = debs.find((f) => f.startsWith(`${pkg}_`));
      if (!deb) throw new Error(`apt-get download did not fetch ${pkg}`);
      const dir = path.join(work, pkg);
      run("dpkg-deb", ["-x", path.join(work, deb), dir]);
      return { dir, version: upstreamVersion(run("dpkg-deb", ["-f", path.join(work, deb), "Version"]).trim()) };
    };
    const containerd = extract("containerd");
    const runc = extract("runc");
    const cni = extract("containernetworking-plugins");
    fs.mkdirSync(outDir, { recursive: true });

    const stage = path.join(work, "containerd-stage", "bin");
    fs.mkdirSync(stage, { recursive: true });
    const cdBin = path.join(containerd.dir, "usr", "bin");
    for (const f of fs.readdirSync(cdBin).filter((f) => f === "containerd" || f === "ctr" || f.startsWith("containerd-shim"))) {
      fs.copyFileSync(path.join(cdBin, f), path.join(stage, f));
      fs.chmodSync(path.join(stage, f), 0o755);
    }
    const containerdFile = `containerd-${containerd.version}-linux-amd64.tar.gz`;
    run("tar", ["--owner=0", "--group=0", "-C", path.dirname(stage), "-czf", path.join(outDir, containerdFile), "bin"]);

    const runcFile = "runc.amd64";
    fs.copyFileSync(path.join(runc.dir, "usr", "sbin", "runc"), path.join(outDir, runcFile));
    fs.chmodSync(path.join(outDir, runcFile), 0o755);

    const cniFile = `cni-plugins-linux-amd64-v${cni.version}.tgz`;
    run("tar", ["--owner=0", "--group=0", "-C", path.join(cni.dir, "usr", "lib", "cni"), "-czf", path.join(outDir, cniFile), "."]);

    const serviceFile = "containerd.service";
    fs.copyFileSync(path.join(__dirname, serviceFile), path.join(outDir, serviceFile));

    const files = [containerdFile, runcFile, cniFile, serviceFile].map((f) => path.join(outDir, f));
    fs.writeFileSync(path.join(outDir, "SHA256SUMS"), await writeSha256Sums(files));
    const releases: LocalReleases = {
      containerd: { version: containerd.version, file: containerdFile, sha256: await sha256File(files[0]) },
      runc: { version: runc.version, file: runcFile, sha256: await sha256File(files[1]) },
      cni: { version: cni.version, file: cniFile, sha256: await sha256File(files[2]) },
      service: { file: serviceFile, sha256: await sha256File(files[3]) },
    };
    fs.writeFileSync(path.join(outDir, "releases.json"), JSON.stringify(releases, null, 2) + "\n");
    return releases;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
