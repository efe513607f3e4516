import "server-only";
import type { RunEvent } from "@/lib/contracts/runs";

export type RunListener = (event: RunEvent) => void;

// Live subscribers per run. On globalThis: Next bundles each route handler separately, and the POST
// that starts a run and the GET that streams it must share one bus.
const g = globalThis as unknown as { nodeprepRunBus?: Map<string, Set<RunListener>> };
const bus = (g.nodeprepRunBus ??= new Map());

export function subscribe(runId: string, listener: RunListener): () => void {
  let set = bus.get(runId);
  if (!set) bus.set(runId, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && bus.get(runId) === set) bus.delete(runId);
  };
}

export function publish(runId: string, event: RunEvent): void {
  for (const listener of bus.get(runId) ?? []) {
    try {
      listener(event);
    } catch (error) {
      console.error("[runs] a run listener failed", error);
    }
  }
}
