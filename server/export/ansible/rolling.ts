import "server-only";
import { Rolling, type RolloutPlan } from "@/lib/contracts/runs";
import { planRollout } from "@/lib/rolling";

// The wizard's rolling settings as the play's `serial` and `max_fail_percentage`.
// Ansible's linear strategy stops the play when, in the batch running, failed hosts / batch size
// exceeds max_fail_percentage / 100 (ansible/plugins/strategy/linear.py; the failed-host list is
// cleared at each batch), and also when every host of a batch failed. nodeprep counts failures over
// the whole run. The two agree for the usual threshold of one failure (max_fail_percentage: 0); for a
// larger one the play's percentage is the same threshold applied to one batch, and the README says so.

export interface AnsibleRollout {
  /** A list when a canary of its own size comes first: `[canary, batch]` (Ansible repeats the last). */
  serial: number | string | (number | string)[];
  /** Omitted when no per-batch percentage expresses the threshold (more failures than a batch holds). */
  max_fail_percentage?: number;
  /** What differs from nodeprep's own rollout, for the export's README; null when nothing does. */
  note: string | null;
  /** The first batch is a canary: a prompt waits for the operator after it. */
  canary?: boolean;
  /** Seconds to pause at the end of each batch but the last (and the canary's, which waits for the prompt). */
  pauseSeconds?: number;
}

/** Round up to hundredths: failures/size must exceed the value for the threshold, and not below it. */
const upTo2 = (v: number) => Math.ceil(Math.round(v * 1e6) / 1e4) / 100;

export function ansibleRollout(rolling: Rolling, nodeCount: number): AnsibleRollout {
  const plan = planRollout(nodeCount, rolling);
  const { canary, pauseSeconds } = Rolling.parse(rolling);
  const waits = {
    // A canary of its own size is the first entry of a serial list; `true` is the first batch as sized.
    serial: canary === undefined || canary === false || canary === true ? plan.batch : [canary, plan.batch],
    ...(canary !== undefined && canary !== false ? { canary: true } : {}),
    ...(pauseSeconds ? { pauseSeconds } : {}),
  };
  return { ...batchesOnly(plan, nodeCount), ...waits };
}

function batchesOnly(plan: RolloutPlan, nodeCount: number): AnsibleRollout {
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
export function playKeywords(r: AnsibleRollout | undefined): { serial?: AnsibleRollout["serial"]; max_fail_percentage?: number } {
  if (!r) return {};
  return { serial: r.serial, ...(r.max_fail_percentage !== undefined ? { max_fail_percentage: r.max_fail_percentage } : {}) };
}

// Which batch is running, from Ansible's magic variables alone (so it holds for any inventory and any
// serial): ansible_play_hosts_all is every host of the play in order, ansible_play_batch the active
// hosts of this batch, ansible_play_hosts every host not failed so far (earlier batches' good hosts and
// later batches' hosts). A host before this batch that has not failed means an earlier batch ran; one
// after it means a later batch will. Hosts of this batch that failed are in neither list.
const FIRST_BATCH = "ansible_play_hosts_all[:ansible_play_hosts_all.index(ansible_play_batch[0])] | intersect(ansible_play_hosts) | length == 0";
const MORE_BATCHES = "ansible_play_hosts_all[ansible_play_hosts_all.index(ansible_play_batch[-1]) + 1:] | intersect(ansible_play_hosts) | length > 0";

/**
 * Tasks after the role, at the end of each batch: the canary's prompt for Continue (ansible.builtin.pause
 * with a prompt, once per batch whatever its size) and the pause between batches. Empty: none.
 */
export function batchEndTasks(r: AnsibleRollout | undefined): Record<string, unknown>[] {
  if (!r) return [];
  const tasks: Record<string, unknown>[] = [];
  if (r.canary) {
    tasks.push({
      name: "Canary batch done: wait for the operator's Continue",
      "ansible.builtin.pause": {
        prompt: "The canary batch is done. Check its hosts, then press Enter to continue the rollout (Ctrl+C then A aborts it)",
      },
      when: [FIRST_BATCH, MORE_BATCHES],
    });
  }
  if (r.pauseSeconds) {
    tasks.push({
      name: `Pause ${r.pauseSeconds} s before the next batch`,
      "ansible.builtin.pause": { seconds: r.pauseSeconds },
      // After the canary the prompt is the wait, as in nodeprep's own rollout.
      when: r.canary ? [`not (${FIRST_BATCH})`, MORE_BATCHES] : [MORE_BATCHES],
    });
  }
  return tasks;
}
