import "server-only";
import type { RolloutWait } from "@/lib/contracts/runs";

// A rolling run's wait between batches (issue 16): after the canary batch until an operator's
// Continue, or a pause of N seconds. Either ends at once on cancel (the run's AbortSignal), so a cancel
// never has to sit out a pause.

export type WaitEnd = { how: "continued"; by: string | null } | { how: "elapsed" } | { how: "cancelled" };

/** The wait a run is in now: what Continue checks and ends. */
export interface PendingWait {
  wait: RolloutWait;
  end(result: WaitEnd): void;
}

/**
 * Wait until `ms` have passed (a pause; undefined: no end but Continue), Continue (through the
 * returned `pending.end`), or `signal` aborts. `onPending` receives the wait while it lasts, then null.
 */
export function waitBetweenBatches(wait: RolloutWait, opts: { ms?: number; signal: AbortSignal; onPending(p: PendingWait | null): void }): Promise<WaitEnd> {
  const { signal } = opts;
  if (signal.aborted) return Promise.resolve({ how: "cancelled" });
  return new Promise<WaitEnd>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    // Only the first ending counts: a Continue racing the pause's end or a cancel changes nothing.
    let ended = false;
    const end = (result: WaitEnd) => {
      if (ended) return;
      ended = true;
      if (timer) clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      opts.onPending(null);
      resolve(result);
    };
    const onAbort = () => end({ how: "cancelled" });
    signal.addEventListener("abort", onAbort, { once: true });
    if (opts.ms !== undefined) timer = setTimeout(() => end({ how: "elapsed" }), opts.ms);
    opts.onPending({ wait, end });
  });
}
