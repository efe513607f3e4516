import "server-only";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { Grade, ObjectiveResult } from "@/lib/contracts/training";
import { getProbe } from "../catalog";
import type { TrainingHost } from "./host";
import type { Scenario } from "./scenarios";

// The grader: a scenario passes when every objective's probe says ok on the node. The
// grade is the node's state, not the path taken. Objectives marked afterReboot are read again after
// a reboot, but only once everything passes live: a reboot costs half a minute, and a trainee
// whose live check still fails has work to do first.

export type RebootPolicy =
  /** A trainee's check: reboot only when everything passes live. */
  | "when-all-pass"
  /** Reveal what a boot does to every afterReboot objective that passes live (the fault's test). */
  | "when-any-after-reboot-passes"
  | "never";

const passed = (r: ProbeResult) => r.status === "ok";

export async function grade(
  scenario: Scenario,
  host: Pick<TrainingHost, "observe" | "reboot">,
  opts: { reboot: RebootPolicy; onProgress?: (message: string) => void; now?: () => Date },
): Promise<Grade> {
  const progress = opts.onProgress ?? (() => undefined);
  const ids = scenario.objectives.map((o) => o.probe);
  progress(`checking ${ids.length} objective${ids.length === 1 ? "" : "s"} on the node`);
  const live = new Map((await host.observe(ids)).map((r) => [r.probeId, r]));
  const objectives: ObjectiveResult[] = scenario.objectives.map((o) => {
    const result = live.get(o.probe);
    if (!result) throw new Error(`the node gave no answer for ${o.probe}`);
    return { probeId: o.probe, title: getProbe(o.probe).title, afterReboot: o.afterReboot, passed: passed(result), checkedAfterReboot: false, result };
  });
  const afterReboot = objectives.filter((o) => o.afterReboot);
  const shouldReboot =
    afterReboot.length > 0 &&
    (opts.reboot === "when-all-pass" ? objectives.every((o) => o.passed) : opts.reboot === "when-any-after-reboot-passes" ? afterReboot.some((o) => o.passed) : false);
  if (shouldReboot) {
    await host.reboot(progress);
    progress("checking what survived the boot");
    const booted = new Map((await host.observe(afterReboot.map((o) => o.probeId))).map((r) => [r.probeId, r]));
    for (const o of afterReboot) {
      const result = booted.get(o.probeId);
      if (!result) throw new Error(`the node gave no answer for ${o.probeId} after the reboot`);
      Object.assign(o, { result, passed: passed(result), checkedAfterReboot: true });
    }
  }
  const ok = objectives.filter((o) => o.passed).length;
  const all = objectives.every((o) => o.passed);
  const waiting = !shouldReboot && afterReboot.length > 0 && all;
  const summary = all
    ? waiting
      ? `All ${objectives.length} objectives pass now; the ones marked "after a reboot" are checked again after the grader reboots the node.`
      : `Passed: all ${objectives.length} objectives hold${shouldReboot ? ", after a reboot too" : ""}.`
    : `${ok} of ${objectives.length} objectives pass${shouldReboot ? " after the reboot" : ""}.${!shouldReboot && afterReboot.length && opts.reboot !== "never" ? " The reboot check comes once everything passes live." : ""}`;
  return { at: (opts.now?.() ?? new Date()).toISOString(), passed: all && !waiting, rebooted: shouldReboot, objectives, summary };
}
