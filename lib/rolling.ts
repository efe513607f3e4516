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
  const { batch, stopAfter, canary, pauseSeconds } = Rolling.parse(settings);
  const n = Math.max(1, nodeCount);
  const sizeOf = (v: number | string) => {
    const pct = percentOf(v);
    return Math.min(n, pct === null ? (v as number) : Math.max(1, Math.floor((pct * n) / 100)));
  };
  const stopPct = percentOf(stopAfter);
  const batchSize = sizeOf(batch);
  const stopAfterFailures = stopPct === null ? (stopAfter as number) : Math.max(1, Math.ceil((stopPct * n) / 100));
  // A canary of `true` is the first batch as sized; its own size otherwise. The rest follow in batches.
  const canarySize = canary === undefined || canary === false ? undefined : canary === true ? batchSize : sizeOf(canary);
  const batches = canarySize === undefined ? Math.ceil(n / batchSize) : 1 + Math.ceil((n - canarySize) / batchSize);
  return {
    batch,
    stopAfter,
    batchSize,
    stopAfterFailures,
    batches,
    ...(canarySize !== undefined ? { canarySize } : {}),
    ...(pauseSeconds ? { pauseSeconds } : {}),
  };
}

/** Items cut into consecutive batches of `size`, in their order. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The run's items in the plan's batches: the canary first (when there is one), then batches of batchSize. */
export function rolloutBatches<T>(items: readonly T[], plan: RolloutPlan): T[][] {
  if (plan.canarySize === undefined) return inBatches(items, plan.batchSize);
  const rest = items.slice(plan.canarySize);
  return [items.slice(0, plan.canarySize), ...(rest.length ? inBatches(rest, plan.batchSize) : [])];
}

const nodes = (n: number) => `${n} node${n === 1 ? "" : "s"}`;

/** "batches of 2 (4 batches), stop after 1 failure" for the wizard and the run view. */
export function describeRollout(plan: RolloutPlan): string {
  const batch = typeof plan.batch === "string" ? `${plan.batch} = ${nodes(plan.batchSize)}` : String(plan.batchSize);
  const stop = typeof plan.stopAfter === "string" ? `${plan.stopAfter} = ${plan.stopAfterFailures}` : String(plan.stopAfterFailures);
  const canary = plan.canarySize === undefined ? "" : `a canary batch of ${nodes(plan.canarySize)} that waits for Continue, then `;
  const pause = plan.pauseSeconds ? `, ${plan.pauseSeconds} s between batches` : "";
  return `${canary}batches of ${batch} (${plan.batches} batch${plan.batches === 1 ? "" : "es"}${canary ? " in all" : ""}), stop after ${stop} failure${plan.stopAfterFailures === 1 ? "" : "s"}${pause}`;
}

/** "3" -> 3, "25%" -> "25%", anything else as typed (the contract then names what is wrong). */
const fromText = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

/**
 * The wizard's boxes as settings, or the contract's message for what is wrong with them. The canary is a
 * checkbox (the first batch waits for Continue); the pause is seconds, empty for none.
 */
export function rollingFromText(
  batch: string,
  stopAfter: string,
  extra: { canary?: boolean; pauseSeconds?: string } = {},
): { rolling: Rolling; error: null } | { rolling: null; error: string } {
  const pause = extra.pauseSeconds?.trim() ? fromText(extra.pauseSeconds) : 0;
  const parsed = Rolling.safeParse({
    batch: fromText(batch),
    stopAfter: fromText(stopAfter),
    ...(extra.canary ? { canary: true } : {}),
    ...(pause ? { pauseSeconds: pause } : {}),
  });
  return parsed.success ? { rolling: parsed.data, error: null } : { rolling: null, error: parsed.error.issues[0].message };
}
