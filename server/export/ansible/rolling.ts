import "server-only";
import type { Rolling } from "@/lib/contracts/runs";
import { planRollout } from "@/lib/rolling";

// The wizard's rolling settings as the play's `serial` and `max_fail_percentage`.
// Ansible's linear strategy stops the play when, in the batch running, failed hosts / batch size
// exceeds max_fail_percentage / 100 (ansible/plugins/strategy/linear.py; the failed-host list is
// cleared at each batch), and also when every host of a batch failed. nodeprep counts failures over
// the whole run. The two agree for the usual threshold of one failure (max_fail_percentage: 0); for a
// larger one the play's percentage is the same threshold applied to one batch, and the README says so.

export interface AnsibleRollout {
  serial: number | string;
  /** Omitted when no per-batch percentage expresses the threshold (more failures than a batch holds). */
  max_fail_percentage?: number;
  /** What differs from nodeprep's own rollout, for the export's README; null when nothing does. */
  note: string | null;
}

/** Round up to hundredths: failures/size must exceed the value for the threshold, and not below it. */
const upTo2 = (v: number) => Math.ceil(Math.round(v * 1e6) / 1e4) / 100;

export function ansibleRollout(rolling: Rolling, nodeCount: number): AnsibleRollout {
  const plan = planRollout(nodeCount, rolling);
  const perRun = "nodeprep counts failures over the whole rollout; Ansible counts them in each batch, so failures spread over several batches may not stop the play where nodeprep would stop.";
  if (typeof plan.stopAfter === "string") {
    // "stop once P% have failed": a batch stops the play once P% of it failed (f/size > P - 0.01).
    const p = Number(plan.stopAfter.slice(0, -1));
    return { serial: plan.batch, max_fail_percentage: Math.max(0, upTo2(p - 0.01)), note: perRun };
  }
  if (plan.stopAfterFailures === 1) return { serial: plan.batch, max_fail_percentage: 0, note: null };
  // A count M: the play stops once a batch has M failures, f/size > (M - 1)/size.
  // The batch size: for the inventory's hosts when known, else the count as written (a percentage of
  // an inventory we do not know has no size).
  const size = nodeCount > 0 ? plan.batchSize : typeof plan.batch === "number" ? plan.batch : null;
  if (size === null || plan.stopAfterFailures > size) {
    return {
      serial: plan.batch,
      note: `${perRun} A batch ${size === null ? "whose size depends on your inventory" : `of ${size}`} cannot hold ${plan.stopAfterFailures} failures, so the play has no max_fail_percentage: Ansible stops only when a whole batch fails.`,
    };
  }
  return { serial: plan.batch, max_fail_percentage: upTo2((100 * (plan.stopAfterFailures - 1)) / size), note: perRun };
}

/** The play's keywords (the note goes to the README). */
export function playKeywords(r: AnsibleRollout | undefined): { serial?: number | string; max_fail_percentage?: number } {
  if (!r) return {};
  return { serial: r.serial, ...(r.max_fail_percentage !== undefined ? { max_fail_percentage: r.max_fail_percentage } : {}) };
}
