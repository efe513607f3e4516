import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  configMissing,
  kubeletCgroupDriver,
  parseCniList,
  parseContainerdVersion,
  parseCtrVersion,
  parsePackageOwner,
  parsePluginsList,
  parseRestartCheck,
  parseRuncVersion,
  plainVersion,
  stripLogLines,
} from "./runtime";

// Recorded on practice node 61 (Debian 12) after installing the lab's Debian-built release artifacts
// the seed's way (tar Cxzf /usr/local, install -m 755 runc, tar into /opt/cni/bin, the upstream unit).
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "runtime", name), "utf8");

describe("versions", () => {
  it("reads containerd --version of Debian's build, upstream's and Docker's containerd.io", () => {
    expect(parseContainerdVersion(fixture("debian12-containerd-version.txt"))).toEqual({ version: "1.6.20", raw: "1.6.20~ds1" });
    expect(parseContainerdVersion("containerd github.com/containerd/containerd v1.7.13 7c3aca7a610df76212171d200ca3811ff6096eb8\n")).toEqual({ version: "1.7.13", raw: "v1.7.13" });
    expect(parseContainerdVersion("containerd containerd.io 1.6.28 ae07eda36dd25f8a1b98dfbf587313b99c0190bb\n")?.version).toBe("1.6.28");
    expect(parseContainerdVersion("sh: 1: /usr/local/bin/containerd: not found\n")).toBeNull();
  });

  it("reads runc --version with its spec and libseccomp lines", () => {
    expect(parseRuncVersion(fixture("debian12-runc-version.txt"))).toEqual({ version: "1.1.5", raw: "1.1.5+ds1", spec: "1.0.2-dev", libseccomp: "2.5.4" });
    expect(parseRuncVersion("runc version 1.3.4\ncommit: v1.3.4-0-gd6d73eb8\nspec: 1.2.1\ngo: go1.24.11\nlibseccomp: 2.5.6\n")?.version).toBe("1.3.4");
    expect(parseRuncVersion("")).toBeNull();
  });

  it("plainVersion keeps MAJOR.MINOR.PATCH", () => {
    expect(plainVersion("v1.22.3")).toBe("1.22.3");
    expect(plainVersion("1.6.20~ds1")).toBe("1.6.20");
    expect(plainVersion("junk")).toBeNull();
  });
});

describe("package owners", () => {
  it("dpkg -S and rpm -qf answers, and 'not owned'", () => {
    expect(parsePackageOwner("containerd.io: /usr/bin/containerd\n")).toEqual({ manager: "dpkg", package: "containerd.io" });
    expect(parsePackageOwner("dpkg: /usr/bin/dpkg\n")).toEqual({ manager: "dpkg", package: "dpkg" }); // recorded
    expect(parsePackageOwner("containerd.io-1.6.28-3.1.el9.x86_64\n")).toEqual({ manager: "rpm", package: "containerd.io-1.6.28-3.1.el9.x86_64" });
    expect(parsePackageOwner("dpkg-query: no path found matching pattern /usr/local/bin/containerd\n")).toBeNull(); // recorded
    expect(parsePackageOwner("file /usr/bin/containerd is not owned by any package\n")).toBeNull();
  });
});

describe("CNI plugins", () => {
  it("lists /opt/cni/bin of the lab's CNI 1.1.1", () => {
    const list = parseCniList(fixture("debian12-ls-cni.txt"), 0);
    expect(list).toHaveLength(16);
    expect(list).toEqual(expect.arrayContaining(["bridge", "host-local", "loopback", "portmap"]));
  });
  it("a missing directory is null, not an empty list", () => {
    expect(parseCniList("ls: cannot access '/opt/cni/bin': No such file or directory\n", 2)).toBeNull();
    expect(parseCniList("", 0)).toEqual([]);
  });
});

describe("ctr", () => {
  it("version: client and server", () => {
    expect(parseCtrVersion(fixture("debian12-ctr-version.txt"))).toEqual({
      client: { version: "1.6.20~ds1", revision: "1.6.20~ds1-1+deb12u3" },
      server: { version: "1.6.20~ds1", revision: "1.6.20~ds1-1+deb12u3", uuid: "15b4a760-5b5b-445a-86be-a760d92ea7d1" },
      error: null,
    });
  });
  it("version: the client alone, and the dial error, when the daemon is down", () => {
    const v = parseCtrVersion(fixture("debian12-ctr-version-no-server.txt"));
    expect(v.client?.version).toBe("1.6.20~ds1");
    expect(v.server).toBeNull();
    expect(v.error).toMatch(/^failed to dial "\/run\/containerd\/containerd.sock": context deadline exceeded/);
  });
  it("plugins ls: every row, cri ok by default and absent when disabled", () => {
    const rows = parsePluginsList(fixture("debian12-ctr-plugins-default.txt"))!;
    expect(rows).toHaveLength(38);
    expect(rows.find((r) => r.id === "cri")).toEqual({ type: "io.containerd.grpc.v1", id: "cri", platforms: "linux/amd64", status: "ok" });
    expect(rows.find((r) => r.id === "devmapper")?.status).toBe("error");
    const disabled = parsePluginsList(fixture("debian12-ctr-plugins-cri-disabled.txt"))!;
    expect(disabled.length).toBe(37);
    expect(disabled.some((r) => r.id === "cri")).toBe(false);
    expect(parsePluginsList("no socket at /run/containerd/containerd.sock: containerd is not running\n")).toBeNull();
  });
});

describe("containerd config dump", () => {
  it("drops containerd's log lines (the version-1 deprecation warning arrives on stderr, merged)", () => {
    const raw = fixture("debian12-config-dump-cri-disabled.txt");
    expect(raw.split("\n")[0]).toMatch(/^time=".*" level=warning msg="containerd config version `1` has been deprecated/);
    const clean = stripLogLines(raw);
    expect(clean.startsWith('disabled_plugins = ["cri"]\n')).toBe(true);
  });
  it("recognises the missing config.toml error", () => {
    expect(configMissing("containerd: failed to load TOML: /etc/containerd/config.toml: open /etc/containerd/config.toml: no such file or directory\n")).toBe(true);
    expect(configMissing("version = 2\n")).toBe(false);
  });
  it("restart check: config mtime and the service's last start", () => {
    expect(parseRestartCheck("1795886939 1795886940\n")).toEqual({ configMtime: 1795886939, activeSince: 1795886940 });
    expect(parseRestartCheck(" 1795886940\n")).toBeNull();
  });
});

describe("kubelet config.yaml", () => {
  it("reads cgroupDriver as kubeadm writes it, and null when unset", () => {
    const kubeadm = "apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\n";
    expect(kubeletCgroupDriver(kubeadm)).toBe("systemd");
    expect(kubeletCgroupDriver('cgroupDriver: "cgroupfs" # old\n')).toBe("cgroupfs");
    expect(kubeletCgroupDriver("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n")).toBeNull();
    expect(kubeletCgroupDriver("nested:\n  cgroupDriver: systemd\n")).toBeNull();
  });
});
