// Parsers of the host probes on recorded real output (host-fixtures/):
//   debian12-*: a practice node (Debian 12, 6.1.0 amd64 kernel, systemd 252): cgroup v2, swap off,
//               then a 32 MiB /swapfile turned on and listed in /etc/fstab (recorded, then removed).
//   firecracker-debian12-hybrid-*: this project's build machine (Debian 12 userland in a Firecracker
//               VM, kernel 6.18): a real hybrid cgroup v1 layout (tmpfs + v1 controllers + unified v2).
// The pure v1 case (no unified mount) is the hybrid recording with the unified line removed: labelled.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandOutput } from "../types";
import { cgroupLayout, cgroupVersionProbe, fstabSwapLines, parseProcSwaps, swapOffProbe } from "./host";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "host-fixtures", name), "utf8");
const ok = (output: string): CommandOutput => ({ output, exitCode: 0 });

describe("swap-off", () => {
  it("reads an empty /proc/swaps (header only) as no swap", () => {
    expect(parseProcSwaps(fixture("debian12-proc-swaps-off.txt"))).toEqual([]);
    const v = swapOffProbe.parse({ swaps: ok(fixture("debian12-proc-swaps-off.txt")), fstab: { output: "", exitCode: 1 } });
    expect(v).toMatchObject({ status: "ok", observed: "no active swap" });
  });

  it("reads an active swap file (tab-separated columns) as a failure naming it", () => {
    expect(parseProcSwaps(fixture("debian12-proc-swaps-on.txt"))).toEqual([{ filename: "/swapfile", type: "file", sizeKiB: 32764 }]);
    const v = swapOffProbe.parse({ swaps: ok(fixture("debian12-proc-swaps-on.txt")), fstab: ok(fixture("debian12-fstab-swap-entry.txt")) });
    expect(v.status).toBe("fail");
    expect(v.observed).toBe("swap on: /swapfile (file, 32764 KiB)");
    expect(v.detail).toContain("swapoff -a");
    expect(v.checks.map((c) => [c.name, c.status])).toEqual([
      ["active swap", "fail"],
      ["swap in /etc/fstab", "warn"],
    ]);
  });

  it("warns when swap is off now but /etc/fstab turns it on at the next boot", () => {
    expect(fstabSwapLines(fixture("debian12-fstab-swap-entry.txt"))).toEqual(["/swapfile none swap sw 0 0"]);
    const v = swapOffProbe.parse({ swaps: ok(fixture("debian12-proc-swaps-off.txt")), fstab: ok(fixture("debian12-fstab-swap-entry.txt")) });
    expect(v).toMatchObject({ status: "warn", observed: "off now, but /etc/fstab has: /swapfile none swap sw 0 0" });
  });

  it("ignores commented swap lines and the root filesystem", () => {
    expect(fstabSwapLines("/dev/vda / ext4 defaults,errors=remount-ro 0 1\n# /dev/sdb none swap sw 0 0\n")).toEqual([]);
  });

  it("says unknown when the host did not answer or /proc/swaps is not what it expects", () => {
    expect(swapOffProbe.parse({}).status).toBe("unknown");
    expect(swapOffProbe.parse({ swaps: { output: "cat: /proc/swaps: No such file or directory\n", exitCode: 1 } }).status).toBe("unknown");
  });
});

describe("cgroup-version", () => {
  it("v2 on the practice node: cgroup2fs", () => {
    expect(cgroupLayout(fixture("debian12-stat-cgroup-v2.txt"), fixture("debian12-mounts-cgroup-v2.txt"))).toBe("v2");
    const v = cgroupVersionProbe.parse({ fstype: ok(fixture("debian12-stat-cgroup-v2.txt")), mounts: ok(fixture("debian12-mounts-cgroup-v2.txt")) });
    expect(v).toMatchObject({ status: "ok", observed: "v2 (cgroup2fs)" });
  });

  it("hybrid v1 on a real machine: tmpfs, v1 controllers, v2 only at /sys/fs/cgroup/unified", () => {
    const stat = fixture("firecracker-debian12-hybrid-stat-cgroup.txt");
    const mounts = fixture("firecracker-debian12-hybrid-mounts-cgroup.txt");
    expect(stat.trim()).toBe("tmpfs");
    expect(cgroupLayout(stat, mounts)).toBe("hybrid");
    const v = cgroupVersionProbe.parse({ fstype: ok(stat), mounts: ok(mounts) });
    expect(v.status).toBe("warn");
    expect(v.observed).toContain("hybrid");
    expect(v.detail).toContain("systemd.unified_cgroup_hierarchy=1");
  });

  it("pure v1 (reconstructed: the hybrid recording without its unified mount)", () => {
    const mounts = fixture("firecracker-debian12-hybrid-mounts-cgroup.txt")
      .split("\n")
      .filter((l) => !l.includes("cgroup2"))
      .join("\n");
    const v = cgroupVersionProbe.parse({ fstype: ok("tmpfs\n"), mounts: ok(mounts) });
    expect(v).toMatchObject({ status: "warn", observed: "v1 (tmpfs)" });
  });

  it("unknown for anything else, and when the host did not answer", () => {
    expect(cgroupVersionProbe.parse({ fstype: { output: "stat: cannot read file system information for '/sys/fs/cgroup': No such file or directory\n", exitCode: 1 } }).status).toBe("unknown");
    expect(cgroupVersionProbe.parse({}).status).toBe("unknown");
  });
});
