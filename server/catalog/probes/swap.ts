import "server-only";
import { z } from "zod";
import type { ProbeCheck, ProbeResult } from "@/lib/contracts/catalog";
import { dataOf } from "../data";
import { anyExists, fileContent, UNIT_DIRS } from "../inputs";
import type { Probe, Verdict } from "../types";
import { noAnswer } from "./verdicts";

// Swap as systemd sees it, next to host.ts's swap-off (/proc/swaps and /etc/fstab): what `swapon --show`
// lists, and the swap units that would turn swap on again at boot. systemd makes a `.swap` unit for
// every swap line of /etc/fstab (systemd-fstab-generator), for a GPT swap partition
// (systemd-gpt-auto-generator) and for zram (zram-generator); an admin may also write one. Commenting
// out fstab is not enough for those: the swap step masks them (or disables one whose file lives in
// /etc/systemd/system, where `systemctl mask` refuses to put its /dev/null link).

export const SWAPON_SHOW = "swapon --show";
export const SWAP_UNIT_FILES = "systemctl list-unit-files --type=swap";
export const ETC_SWAP_UNITS = "ls -l /etc/systemd/system | grep '\\.swap'";

/** Any swap unit file or generated unit in systemd's search path: else the unit listings cannot change. */
const SWAP_UNIT_FILES_INPUTS = anyExists(UNIT_DIRS.map((d) => `${d}/*.swap`));

/** `swapon --show` (NAME TYPE SIZE USED PRIO): the header and a line per active swap, nothing when none. */
export function parseSwaponShow(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "" && !/^NAME\s+TYPE\b/.test(l))
    .map((l) => l.trim().split(/\s+/)[0]);
}

export const SwaponShowData = z.object({
  /** The swap devices and files `swapon --show` lists (in use now). */
  active: z.array(z.string()),
});
export type SwaponShowData = z.infer<typeof SwaponShowData>;

export const swaponShowProbe: Probe<SwaponShowData> = {
  id: "swapon-show",
  title: "swapon --show lists nothing",
  fixStepId: "swap",
  data: SwaponShowData,
  commands: [{ key: "show", command: SWAPON_SHOW, inputs: fileContent("/proc/swaps") }],
  parse(outputs): Verdict<SwaponShowData> {
    const expected = "no output: no swap in use";
    const show = outputs.show;
    if (!show) return noAnswer(expected);
    if (show.exitCode !== 0) {
      return { status: "unknown", observed: `swapon failed (exit ${show.exitCode})`, expected, detail: show.output.trim(), checks: [], data: null };
    }
    const names = parseSwaponShow(show.output);
    const data = { active: names };
    if (names.length === 0) return { status: "ok", observed: "no swap in use", expected, detail: "swapon --show printed nothing.", checks: [], data };
    return {
      status: "fail",
      observed: `in use: ${names.join(", ")}`,
      expected,
      detail: "The kubelet does not start while swap is on (failSwapOn). Run `swapoff -a`.",
      checks: [],
      data,
    };
  },
};

export const SwapUnitFile = z.object({
  unit: z.string(),
  /** systemctl's unit file state: enabled, disabled, static, generated, masked, ... */
  state: z.string(),
});
export type SwapUnitFile = z.infer<typeof SwapUnitFile>;

export const SwapUnitsData = z.object({
  /** Every swap unit systemd knows, with whether its own file lives in /etc/systemd/system. */
  units: z.array(SwapUnitFile.extend({ inEtc: z.boolean() })),
});
export type SwapUnitsData = z.infer<typeof SwapUnitsData>;

/**
 * `systemctl list-unit-files --type=swap`: a header "UNIT FILE STATE PRESET", a line per unit, then
 * "N unit files listed.". Unit names never contain spaces (systemd escapes them as \x20).
 */
export function parseSwapUnitFiles(text: string): SwapUnitFile[] {
  return text.split("\n").flatMap((line) => {
    const m = /^(\S+\.swap)\s+(\S+)/.exec(line.trim());
    return m ? [{ unit: m[1], state: m[2] }] : [];
  });
}

export interface EtcSwapUnit {
  unit: string;
  /** A /dev/null link is a mask; any other entry is the admin's own unit file (or a link to one). */
  kind: "mask" | "file";
}

/** `ls -l /etc/systemd/system | grep '\.swap'`: "-rw-r--r-- 1 root root 87 Dec  1 00:07 var-swap2.swap" or "... x.swap -> /dev/null". */
export function parseEtcSwapUnits(text: string): EtcSwapUnit[] {
  return text.split("\n").flatMap((line) => {
    const m = /\s(\S+\.swap)(?: -> (\S+))?$/.exec(line);
    if (!m) return [];
    return [{ unit: m[1], kind: m[2] === "/dev/null" ? ("mask" as const) : ("file" as const) }];
  });
}

/** Unit file states after which a swap unit no longer starts at boot by itself. */
const QUIET_STATES = new Set(["masked", "masked-runtime", "disabled"]);

export const swapUnitsProbe: Probe<SwapUnitsData> = {
  id: "swap-units",
  title: "swap units masked",
  fixStepId: "swap",
  data: SwapUnitsData,
  commands: [
    { key: "files", command: SWAP_UNIT_FILES, inputs: SWAP_UNIT_FILES_INPUTS },
    { key: "etc", command: ETC_SWAP_UNITS, inputs: SWAP_UNIT_FILES_INPUTS },
  ],
  parse(outputs): Verdict<SwapUnitsData> {
    const expected = "every swap unit masked (or, for a unit file in /etc/systemd/system, disabled)";
    const files = outputs.files;
    if (!files) return noAnswer(expected);
    // No systemd (or no systemctl): no swap units either; /proc/swaps and fstab say the rest.
    if (files.exitCode === 127) return { status: "ok", observed: "no systemctl on this host", expected, detail: "Without systemd there are no swap units.", checks: [], data: { units: [] } };
    const units = parseSwapUnitFiles(files.output);
    if (files.exitCode !== 0 && units.length === 0 && !/0 unit files listed/.test(files.output)) {
      return { status: "unknown", observed: `systemctl failed (exit ${files.exitCode})`, expected, detail: files.output.trim(), checks: [], data: null };
    }
    const etc = new Map(parseEtcSwapUnits(outputs.etc?.output ?? "").map((e) => [e.unit, e.kind]));
    const data = { units: units.map((u) => ({ ...u, inEtc: etc.get(u.unit) === "file" })) };
    const checks: ProbeCheck[] = units.map((u) => ({
      name: u.unit,
      status: QUIET_STATES.has(u.state) ? "ok" : "fail",
      observed: u.state,
      expected: "masked",
    }));
    const loud = checks.filter((c) => c.status !== "ok");
    if (units.length === 0) return { status: "ok", observed: "no swap units", expected, detail: "systemd knows no swap unit.", checks, data };
    if (loud.length === 0) {
      return { status: "ok", observed: `${units.length} swap unit${units.length === 1 ? "" : "s"}, none starts at boot`, expected, detail: "Every swap unit is masked or disabled.", checks, data };
    }
    return {
      status: "fail",
      observed: `would start swap: ${loud.map((c) => `${c.name} (${c.observed})`).join(", ")}`,
      expected,
      detail: "systemd turns these on at boot (a generated unit comes from /etc/fstab or a generator). Mask them: `systemctl mask <unit>`.",
      checks,
      data,
    };
  },
};

/** The swap units the swap-units probe saw (its typed data): each with its state and whether /etc/systemd/system holds its file. */
export function swapUnitsSeen(result: ProbeResult | undefined): SwapUnitsData["units"] | null {
  return dataOf(swapUnitsProbe, result)?.units ?? null;
}

export const swapProbes: readonly Probe[] = [swaponShowProbe, swapUnitsProbe];
