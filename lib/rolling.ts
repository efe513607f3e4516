import { Rolling, type RolloutPlan } from "./contracts/runs";

// A rolling run's batches from its settings, shared by the engine, the wizard's preview and
// the Ansible export so the three agree on what "batches of 25%" means for N nodes.

/** "25%" -> 25; a count -> null. */
const percentOf = (v: number | string) => (typeof v === "string" ? Number(v.slice(0, -1)) : null);

/**
 * Resolve the settings for `nodeCount` nodes. A batch percentage rounds down with at least one node, as
 * Ansible's `serial` does; a failure percentage rounds up (stop once at least that share has failed).
 */
export function planRollout(nodeCount: number, settings: Rolling): RolloutPlan {
  const { batch, stopAfter } = Rolling.parse(settings);
  const n = Math.max(1, nodeCount);
  const batchPct = percentOf(batch);
  const stopPct = percentOf(stopAfter);
  const batchSize = Math.min(n, batchPct === null ? (batch as number) : Math.max(1, Math.floor((batchPct * n) / 100)));
  const stopAfterFailures = stopPct === null ? (stopAfter as number) : Math.max(1, Math.ceil((stopPct * n) / 100));
  return { batch, stopAfter, batchSize, stopAfterFailures, batches: Math.ceil(n / batchSize) };
}

/** Items cut into consecutive batches of `size`, in their order. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** "batches of 2 (4 batches), stop after 1 failure" for the wizard and the run view. */
export function describeRollout(plan: RolloutPlan): string {
  const batch = typeof plan.batch === "string" ? `${plan.batch} = ${plan.batchSize} node${plan.batchSize === 1 ? "" : "s"}` : String(plan.batchSize);
  const stop = typeof plan.stopAfter === "string" ? `${plan.stopAfter} = ${plan.stopAfterFailures}` : String(plan.stopAfterFailures);
  return `batches of ${batch} (${plan.batches} batch${plan.batches === 1 ? "" : "es"}), stop after ${stop} failure${plan.stopAfterFailures === 1 ? "" : "s"}`;
}

/** "3" -> 3, "25%" -> "25%", anything else as typed (the contract then names what is wrong). */
const fromText = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

/** The wizard's two text boxes as settings, or the contract's message for what is wrong with them. */
export function rollingFromText(batch: string, stopAfter: string): { rolling: Rolling; error: null } | { rolling: null; error: string } {
  const parsed = Rolling.safeParse({ batch: fromText(batch), stopAfter: fromText(stopAfter) });
  return parsed.success ? { rolling: parsed.data, error: null } : { rolling: null, error: parsed.error.issues[0].message };
}
