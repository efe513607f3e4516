import "server-only";
import { z } from "zod";
import type { ProbeCheck } from "@/lib/contracts/catalog";
import { fileContent } from "../inputs";
import type { CommandOutput, Probe, ProbeCommand, Verdict } from "../types";
import { noAnswer } from "./verdicts";

// Host-level prerequisites the health view checks next to the wizard's probes: swap and the
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
/** What is mounted on /sys/fs/cgroup (cgroup2fs on v2, tmpfs on v1); shared by the probes that explain it (one run per batch). */
export const CGROUP_FSTYPE: ProbeCommand = { key: "fstype", command: "stat -fc %T /sys/fs/cgroup", inputs: CGROUP_MOUNTS };

/**
 * What the host's cgroup version means for the cgroup driver, said by the cgroup-version probe, the
 * cgroup driver step (its plan notes) and that step's health cell, so the explanation follows the host.
 */
export function cgroupDriverMeaning(layout: CgroupLayout): string {
  switch (layout) {
    case "v2":
      return "On cgroup v2 systemd manages the one unified hierarchy: containerd (SystemdCgroup = true) and the kubelet (cgroupDriver: systemd) both use the systemd driver, as Kubernetes recommends.";
    case "v1":
    case "hybrid":
      return "On cgroup v1 the systemd driver still applies: systemd, as init, owns the v1 hierarchies too, so containerd (SystemdCgroup = true) and the kubelet (cgroupDriver: systemd) still both use it; cgroupfs would be a second manager beside systemd.";
    default:
      return "The cgroup version could not be read: `stat -fc %T /sys/fs/cgroup` prints cgroup2fs for v2 and tmpfs for v1.";
  }
}

/** One phrase for a cell: "cgroup v1 (legacy hierarchy): the systemd driver still applies". */
export function cgroupDriverShort(layout: CgroupLayout): string {
  if (layout === "v2") return "this host runs cgroup v2: the systemd driver is the one to use";
  if (layout === "v1" || layout === "hybrid") return `this host runs cgroup v1${layout === "hybrid" ? " (hybrid)" : ""}: the systemd driver still applies on v1`;
  return "this host's cgroup version is unknown";
}

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
    CGROUP_FSTYPE,
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
        return { status: "ok", observed: "v2 (cgroup2fs)", expected, detail: `Unified cgroup v2 hierarchy. ${cgroupDriverMeaning(layout)}`, checks: [], data };
      case "hybrid":
        return {
          status: "warn",
          observed: "v1 (hybrid: tmpfs with v2 only at /sys/fs/cgroup/unified)",
          expected,
          detail: `Controllers are on cgroup v1. ${cgroupDriverMeaning(layout)} But v1 is in maintenance mode since Kubernetes 1.31 and newer kubelets refuse it by default (failCgroupV1). ${boot}`,
          checks: [],
          data,
        };
      case "v1":
        return {
          status: "warn",
          observed: "v1 (tmpfs)",
          expected,
          detail: `cgroup v1 only (legacy hierarchy). ${cgroupDriverMeaning(layout)} But v1 is in maintenance mode since Kubernetes 1.31 and newer kubelets refuse it by default (failCgroupV1). ${boot}`,
          checks: [],
          data,
        };
      default:
        return { status: "unknown", observed: `unexpected: ${fsName}`, expected, detail: "/sys/fs/cgroup is neither cgroup2fs nor tmpfs.", checks: [], data };
    }
  },
};

export const hostProbes: readonly Probe[] = [swapOffProbe, cgroupVersionProbe];
