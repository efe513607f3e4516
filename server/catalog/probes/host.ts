import "server-only";
import { z } from "zod";
import type { ProbeCheck } from "@/lib/contracts/catalog";
import { fileContent } from "../inputs";
import type { CommandOutput, Probe, Verdict } from "../types";
import { noAnswer } from "./verdicts";

// Host-level prerequisites the health view checks next to the wizard's probes (issue 6): swap and the
// cgroup hierarchy. The swap step turns swap off (steps/swap.ts). The cgroup hierarchy has no step:
// changing it means the kernel command line and a reboot (content/cgroup-driver.md says how and why
// not casually), so its fixStepId is null and the detail says what to do.


export const SwapEntry = z.object({ filename: z.string(), type: z.string(), sizeKiB: z.number().int() });
export type SwapEntry = z.infer<typeof SwapEntry>;

export const SwapData = z.object({
  /** /proc/swaps now. */
  active: z.array(SwapEntry),
  /** Active swap lines of /etc/fstab: swap comes back at boot. */
  fstab: z.array(z.string()),
});
export type SwapData = z.infer<typeof SwapData>;

/**
 * `/proc/swaps`: a header line, then "Filename Type Size Used Priority" separated by tabs and spaces.
 * A file path containing spaces is printed with `\040` (the kernel escapes it), so whitespace splits.
 */
export function parseProcSwaps(text: string): SwapEntry[] | null {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0 || !/^Filename\s+Type\s+Size/.test(lines[0])) return null;
  return lines.slice(1).flatMap((line) => {
    const m = /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(-?\d+)\s*$/.exec(line);
    return m ? [{ filename: m[1], type: m[2], sizeKiB: Number(m[3]) }] : [];
  });
}

/** Active swap lines of /etc/fstab (third field "swap", not commented out). */
export function fstabSwapLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && l.split(/\s+/)[2] === "swap");
}

/**
 * The kubelet refuses to start with swap on (failSwapOn defaults to true, kubeadm's preflight checks
 * it too): live state from /proc/swaps, and fstab so "off now, back after a reboot" is a warning.
 */
export const swapOffProbe: Probe<SwapData> = {
  id: "swap-off",
  title: "swap off",
  fixStepId: "swap",
  data: SwapData,
  commands: [
    { key: "swaps", command: "cat /proc/swaps", inputs: fileContent("/proc/swaps") },
    { key: "fstab", command: "grep -E '^[^#]*[[:space:]]swap[[:space:]]' /etc/fstab", inputs: fileContent("/etc/fstab", "swap") },
  ],
  parse(outputs: Record<string, CommandOutput>): Verdict<SwapData> {
    const expected = "no active swap, none in /etc/fstab";
    const swaps = outputs.swaps;
    if (!swaps) return noAnswer(expected);
    const active = swaps.exitCode === 0 ? parseProcSwaps(swaps.output) : null;
    if (active === null) {
      return { status: "unknown", observed: "/proc/swaps unreadable", expected, detail: swaps.output.trim() || `exit ${swaps.exitCode}`, checks: [], data: null };
    }
    const fstab = outputs.fstab?.exitCode === 0 ? fstabSwapLines(outputs.fstab.output) : [];
    const data = { active, fstab };
    const checks: ProbeCheck[] = [
      {
        name: "active swap",
        status: active.length ? "fail" : "ok",
        observed: active.length ? active.map((s) => `${s.filename} (${s.type}, ${s.sizeKiB} KiB)`).join(", ") : "none",
        expected: "none",
      },
      {
        name: "swap in /etc/fstab",
        status: fstab.length ? "warn" : "ok",
        observed: fstab.length ? fstab.join("; ") : "none",
        expected: "none",
      },
    ];
    if (active.length) {
      return {
        status: "fail",
        observed: `swap on: ${checks[0].observed}`,
        expected,
        detail: "The kubelet does not start while swap is on (failSwapOn). Run `swapoff -a` and remove the swap lines from /etc/fstab.",
        checks,
        data,
      };
    }
    if (fstab.length) {
      return {
        status: "warn",
        observed: `off now, but /etc/fstab has: ${fstab.join("; ")}`,
        expected,
        detail: "Swap comes back at the next boot: comment out the swap lines in /etc/fstab.",
        checks,
        data,
      };
    }
    return { status: "ok", observed: "no active swap", expected, detail: "Swap is off and nothing turns it on at boot.", checks, data };
  },
};

export const CgroupLayout = z.enum(["v2", "hybrid", "v1", "unknown"]);
export type CgroupLayout = z.infer<typeof CgroupLayout>;

export const CgroupData = z.object({
  layout: CgroupLayout,
  /** What `stat -fc %T /sys/fs/cgroup` printed. */
  fsType: z.string(),
});
export type CgroupData = z.infer<typeof CgroupData>;

/** `stat -fc %T /sys/fs/cgroup` (cgroup2fs on v2, tmpfs on v1) plus the cgroup lines of /proc/mounts. */
export function cgroupLayout(fsType: string, mounts: string): CgroupLayout {
  const t = fsType.trim();
  if (t === "cgroup2fs") return "v2";
  if (t === "tmpfs") {
    const unified = mounts.split("\n").some((l) => {
      const [, mountpoint, type] = l.split(/\s+/);
      return type === "cgroup2" && mountpoint === "/sys/fs/cgroup/unified";
    });
    return unified ? "hybrid" : "v1";
  }
  return "unknown";
}

const CGROUP_MOUNTS = fileContent("/proc/mounts", "cgroup");

/**
 * The design's check (kubernetes/system-validators' cgroup validator): v2 is what current Kubernetes and
 * containerd expect; v1 still works with the systemd driver but has been in maintenance mode since
 * Kubernetes 1.31 and newer kubelets refuse it by default (failCgroupV1).
 */
export const cgroupVersionProbe: Probe<CgroupData> = {
  id: "cgroup-version",
  title: "cgroup version",
  fixStepId: null,
  data: CgroupData,
  commands: [
    // What is mounted on /sys/fs/cgroup shows in /proc/mounts (its line names the mount point).
    { key: "fstype", command: "stat -fc %T /sys/fs/cgroup", inputs: CGROUP_MOUNTS },
    { key: "mounts", command: "grep cgroup /proc/mounts", inputs: CGROUP_MOUNTS },
  ],
  parse(outputs: Record<string, CommandOutput>): Verdict<CgroupData> {
    const expected = "v2 (cgroup2fs on /sys/fs/cgroup)";
    const fstype = outputs.fstype;
    if (!fstype) return noAnswer(expected);
    const layout = cgroupLayout(fstype.exitCode === 0 ? fstype.output : "", outputs.mounts?.output ?? "");
    const fsName = fstype.output.trim() || `exit ${fstype.exitCode}`;
    const data = { layout, fsType: fstype.exitCode === 0 ? fstype.output.trim() : "" };
    const boot = "Boot with systemd.unified_cgroup_hierarchy=1 on the kernel command line (or a distribution that defaults to v2).";
    switch (layout) {
      case "v2":
        return { status: "ok", observed: "v2 (cgroup2fs)", expected, detail: "Unified cgroup v2 hierarchy.", checks: [], data };
      case "hybrid":
        return {
          status: "warn",
          observed: "v1 (hybrid: tmpfs with v2 only at /sys/fs/cgroup/unified)",
          expected,
          detail: `Controllers are on cgroup v1. It works with the systemd driver, but v1 is in maintenance mode since Kubernetes 1.31 and newer kubelets refuse it by default. ${boot}`,
          checks: [],
          data,
        };
      case "v1":
        return {
          status: "warn",
          observed: "v1 (tmpfs)",
          expected,
          detail: `cgroup v1 only. It works with the systemd driver, but v1 is in maintenance mode since Kubernetes 1.31 and newer kubelets refuse it by default. ${boot}`,
          checks: [],
          data,
        };
      default:
        return { status: "unknown", observed: `unexpected: ${fsName}`, expected, detail: "/sys/fs/cgroup is neither cgroup2fs nor tmpfs.", checks: [], data };
    }
  },
};

export const hostProbes: readonly Probe[] = [swapOffProbe, cgroupVersionProbe];
