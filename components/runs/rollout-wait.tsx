"use client";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { runsApi } from "@/lib/api/runs";
import type { RolloutWait } from "@/lib/contracts/runs";

/** Whole seconds left until `until` (ISO), ticking each second; null without one. */
function useSecondsLeft(until: string | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until ? Math.max(0, Math.ceil((Date.parse(until) - now) / 1000)) : null;
}

/**
 * A rolling run waiting between batches: why (after the canary: how many nodes were ok; a
 * pause: "next batch in Ns"), and for operators the "Continue rollout" button. Nothing runs on any host
 * meanwhile; Cancel (beside it) leaves the rest not started.
 */
export function RolloutWaitBox({ runId, wait, canContinue }: { runId: string; wait: RolloutWait; canContinue: boolean }) {
  const seconds = useSecondsLeft(wait.until);
  const go = useMutation({ mutationFn: () => runsApi.continue(runId, { afterBatch: wait.afterBatch }) });
  return (
    <div role="region" aria-label="Rollout waiting" className="flex flex-wrap items-center gap-2 rounded border border-blue-300 bg-blue-50 p-2 text-sm text-blue-950">
      <span className="first-letter:uppercase">
        {wait.kind === "canary" ? wait.reason : `batch ${wait.afterBatch} of ${wait.of} done; next batch in ${seconds ?? "?"} s`}
      </span>
      {wait.kind === "canary" && <span className="text-blue-900">Check the canary nodes, then continue or cancel.</span>}
      {canContinue && (
        <button
          type="button"
          onClick={() => go.mutate()}
          disabled={go.isPending || go.isSuccess}
          className="rounded bg-blue-700 px-3 py-1 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
        >
          {wait.kind === "canary" ? "Continue rollout" : "Continue now"}
        </button>
      )}
      {!canContinue && wait.kind === "canary" && <span className="text-blue-900">An operator continues the rollout.</span>}
      {go.error && (
        <span role="alert" className="text-red-800">
          Could not continue: {go.error.message}
        </span>
      )}
    </div>
  );
}
