import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HostFacts } from "@/lib/contracts/facts";
import { containerdVersion, kubeletVersion, mapArch, parseFacts, parseLibc, parseOsRelease, runcVersion, splitSections } from "./parse";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const at = new Date("2026-01-01T00:00:00Z");

describe("facts parsers on recorded output", () => {
  it("reads a fresh practice node (Debian 12, recorded)", () => {
    const f = parseFacts(fixture("debian-12-amd64.txt"), at);
    expect(f).toEqual<HostFacts>({
      hostname: "practice",
      os: { id: "debian", versionId: "12", prettyName: "Debian GNU/Linux 12 (bookworm)", idLike: [] },
      kernel: "6.1.0-50-amd64",
      machine: "x86_64",
      arch: "amd64",
      libc: { kind: "glibc", version: "2.36" },
      init: "systemd",
      cgroup: "v2",
      swapActive: false,
      machineId: "907fe61f8ddd41edab3feae9732353e4",
      containerd: { present: false, path: null, version: null },
      runc: { present: false, path: null, version: null },
      cniPlugins: { present: false, dir: null, plugins: [] },
      kubelet: { present: false, path: null, version: null },
      gatheredAt: "2026-01-01T00:00:00.000Z",
    });
  });

  it("reads a practice node with the runtime and swap installed (Debian's builds, recorded)", () => {
    const f = parseFacts(fixture("debian-12-amd64-runtime-installed.txt"), at);
    expect(f.containerd).toEqual({ present: true, path: "/usr/local/bin/containerd", version: "1.6.20" });
    expect(f.runc).toEqual({ present: true, path: "/usr/local/sbin/runc", version: "1.1.5" });
    expect(f.cniPlugins.present).toBe(true);
    expect(f.cniPlugins.dir).toBe("/opt/cni/bin");
    expect(f.cniPlugins.plugins).toContain("bridge");
    expect(f.cniPlugins.plugins).toContain("loopback");
    expect(f.cniPlugins.plugins).toHaveLength(16);
    expect(f.swapActive).toBe(true);
    expect(f.kubelet.present).toBe(false);
  });

  it("reads Ubuntu 22.04 with containerd.io and a kubelet", () => {
    const f = parseFacts(fixture("ubuntu-22.04-amd64-kubelet.txt"), at);
    expect(f.os).toEqual({ id: "ubuntu", versionId: "22.04", prettyName: "Ubuntu 22.04.4 LTS", idLike: ["debian"] });
    expect(f.libc).toEqual({ kind: "glibc", version: "2.35" });
    expect(f.containerd.version).toBe("1.6.28");
    expect(f.runc.version).toBe("1.1.12");
    expect(f.kubelet).toEqual({ present: true, path: "/usr/bin/kubelet", version: "1.29.2" });
    expect(f.swapActive).toBe(true);
  });

  it("reads Rocky 9 (quoted os-release values, RHEL family)", () => {
    const f = parseFacts(fixture("rocky-9-amd64.txt"), at);
    expect(f.os).toEqual({ id: "rocky", versionId: "9.3", prettyName: "Rocky Linux 9.3 (Blue Onyx)", idLike: ["rhel", "centos", "fedora"] });
    expect(f.kernel).toBe("5.14.0-362.8.1.el9_3.x86_64");
    expect(f.libc).toEqual({ kind: "glibc", version: "2.34" });
    expect(f.swapActive).toBe(true);
    expect(f.containerd.present).toBe(false);
    expect(f.runc).toEqual({ present: true, path: "/usr/bin/runc", version: "1.1.9" });
  });

  it("reads Alpine with musl and OpenRC", () => {
    const f = parseFacts(fixture("alpine-3.19-amd64-musl.txt"), at);
    expect(f.os.id).toBe("alpine");
    expect(f.libc).toEqual({ kind: "musl", version: "1.2.4_git20230717" });
    expect(f.init).toBe("other");
    expect(f.cgroup).toBe("v1");
    expect(f.machineId).toBeNull();
    expect(f.swapActive).toBe(false);
  });

  it("reads an arm64 Raspberry Pi with upstream containerd", () => {
    const f = parseFacts(fixture("debian-12-arm64-raspberrypi.txt"), at);
    expect(f.machine).toBe("aarch64");
    expect(f.arch).toBe("arm64");
    expect(f.containerd.version).toBe("1.7.13");
    expect(f.runc.path).toBe("/usr/local/sbin/runc");
  });
});

describe("facts parser details", () => {
  it("maps machine names to release arch names", () => {
    expect(mapArch("x86_64")).toBe("amd64");
    expect(mapArch("aarch64")).toBe("arm64");
    expect(mapArch("armv7l")).toBe("arm");
    expect(mapArch("riscv64")).toBeNull();
    expect(mapArch("i686")).toBeNull();
  });

  it("parses os-release quoting and defaults ID to linux", () => {
    expect(parseOsRelease(['NAME="A \\"quoted\\" name"', "ID='single'", "# comment", ""]).id).toBe("single");
    expect(parseOsRelease(['PRETTY_NAME="A \\"quoted\\" name"']).prettyName).toBe('A "quoted" name');
    expect(parseOsRelease([]).id).toBe("linux");
  });

  it("reads glibc from ldd alone when getconf is missing, and says unknown otherwise", () => {
    expect(parseLibc(["ldd (GNU libc) 2.28"])).toEqual({ kind: "glibc", version: "2.28" });
    expect(parseLibc([])).toEqual({ kind: "unknown", version: null });
  });

  it("reads component versions from their --version lines", () => {
    expect(containerdVersion("containerd github.com/containerd/containerd v1.7.13 7c3aca7")).toBe("1.7.13");
    expect(containerdVersion("containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3")).toBe("1.6.20");
    expect(containerdVersion("garbage")).toBeNull();
    expect(runcVersion("runc version 1.1.5+ds1")).toBe("1.1.5");
    expect(kubeletVersion("Kubernetes v1.30.2")).toBe("1.30.2");
  });

  it("refuses output that was cut off before the end section", () => {
    const cut = fixture("debian-12-amd64.txt").split("@@nodeprep-facts:containerd@@")[0];
    expect(() => parseFacts(cut)).toThrow(/cut off/);
  });

  it("ignores noise before the first section (motd, shell warnings)", () => {
    const s = splitSections("Welcome!\n@@nodeprep-facts:hostname@@\nh\n\n@@nodeprep-facts:end@@\n");
    expect(s.get("hostname")).toEqual(["h"]);
    expect(s.has("end")).toBe(true);
  });
});
