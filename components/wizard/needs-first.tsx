"use client";
import Link from "next/link";
import type { StepProgress, StepSummary } from "@/lib/contracts/catalog";

/**
 * The requirements still open for the selected nodes: a requirement whose fixing step is done on every
 * selected node is met (the step's own run checks it again anyway). With no node selected, all of them.
 */
export function openRequirements(step: Pick<StepSummary, "requires">, nodeIds: readonly string[], progress: readonly StepProgress[] | undefined) {
  if (nodeIds.length === 0 || !progress) return step.requires;
  return step.requires.filter(
    (r) => !r.fixStepId || nodeIds.some((n) => progress.find((p) => p.nodeId === n && p.stepId === r.fixStepId)?.state !== "done"),
  );
}

export function NeedsFirst({
  step,
  steps,
  nodeIds,
  progress,
  hrefFor,
}: {
  step: Pick<StepSummary, "requires">;
  steps: readonly Pick<StepSummary, "id" | "order" | "title">[];
  nodeIds: readonly string[];
  progress: readonly StepProgress[] | undefined;
  hrefFor: (stepId: string) => string;
}) {
  const open = openRequirements(step, nodeIds, progress);
  if (open.length === 0) return null;
  return (
    <div role="note" aria-label="Needs first" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
      <span className="font-semibold">Needs first: </span>
      {open.map((r, i) => {
        const fix = r.fixStepId ? steps.find((s) => s.id === r.fixStepId) : undefined;
        return (
          <span key={r.probeId}>
            {i > 0 && ", "}
            {r.title}
            {fix && (
              <>
                {" "}
                (<Link className="underline" href={hrefFor(fix.id)}>step {fix.order}: {fix.title}</Link>)
              </>
            )}
          </span>
        );
      })}
    </div>
  );
}
