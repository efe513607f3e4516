"use client";
import Link from "next/link";
import type { StepSummary } from "@/lib/contracts/catalog";
import { useCan } from "../auth/use-me";
import { RolloutWaitBox } from "../runs/rollout-wait";
import type { RunView } from "../runs/run-view";
import { runBadgeStatus, StatusBadge, waitingLabel } from "../runs/status-badge";

type StepRef = Pick<StepSummary, "id" | "order" | "title">;

/**
 * The run on screen: its badge and message, each node with this step's result, and for a run of
 * several steps every step's result per node, so "Apply all steps" shows what happened at each one.
 */
export function RunStatus({
  runId,
  view,
  step,
  steps,
  hrefFor,
}: {
  runId: string;
  view: RunView;
  step: StepRef;
  steps: readonly StepRef[];
  hrefFor: (stepId: string, extra?: Record<string, string>) => string;
}) {
  const title = (id: string) => steps.find((s) => s.id === id);
  const operator = useCan("operator");
  const waiting = view.status === "running" ? view.waiting : null;
  return (
    <div role="status" aria-label="Run status" data-run-id={runId} data-state={view.status} className="space-y-2 rounded border border-slate-200 bg-white p-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{view.mode === "check" ? "Check" : view.mode === "apply" ? "Apply" : "Run"}</span>
        <StatusBadge status={runBadgeStatus(view)} label={waitingLabel(waiting)} />
        <Link className="text-xs underline" href={`/runs/${runId}`}>
          run details
        </Link>
        {view.batch && view.status === "running" && !waiting && <span className="text-slate-700">batch {view.batch.n} of {view.batch.of}</span>}
        {view.message && <span className="text-slate-700">{view.message}</span>}
      </div>
      {waiting && <RolloutWaitBox runId={runId} wait={waiting} canContinue={operator} />}
      <ul className="space-y-1">
        {view.nodes.map((n) => {
          const end = n.steps[step.id]?.end;
          const fix = end?.fixStepId ? title(end.fixStepId) : undefined;
          // One step: the node's own words; several: this step's (the node's speak for the whole run).
          const message = end && view.stepIds.length > 1 ? end.message : n.message;
          return (
            <li key={n.nodeId} className="flex flex-wrap items-center gap-2">
              <span className="font-mono">{n.name}</span>
              {n.batch !== null && <span className="text-xs text-slate-600">batch {n.batch}</span>}
              {/* This step's result on the node; the node's own status while it has none yet. */}
              <StatusBadge status={end?.status ?? n.status} />
              {n.phase && <span className="text-xs text-slate-600">{n.phase}…</span>}
              {message && <span className="text-slate-800">{message}</span>}
              {fix && (
                <Link className="underline" href={hrefFor(fix.id)}>
                  Go to step {fix.order}: {fix.title}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
      {view.mode === "check" && view.status !== "running" && view.status !== "starting" && (
        <p className="text-xs text-slate-600">A Check changes nothing: its verification shows each host as it is now, before Apply.</p>
      )}
      {view.stepIds.length > 1 && (
        <table className="w-full text-xs" aria-label="Every step of this run">
          <thead>
            <tr className="text-left text-slate-600">
              <th scope="col" className="py-1 pr-3 font-medium">step</th>
              {view.nodes.map((n) => (
                <th key={n.nodeId} scope="col" className="py-1 pr-3 font-mono font-medium">
                  {n.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.stepIds.map((id) => {
              const s = title(id);
              return (
                <tr key={id} className="border-t border-slate-100 align-top" aria-current={id === step.id ? "step" : undefined}>
                  <th scope="row" className="py-1 pr-3 text-left font-normal">
                    <Link className="underline" href={hrefFor(id, { run: runId })}>
                      {s ? `${s.order}. ${s.title}` : id}
                    </Link>
                  </th>
                  {view.nodes.map((n) => {
                    const end = n.steps[id]?.end;
                    return (
                      <td key={n.nodeId} className="py-1 pr-3">
                        {end ? (
                          <span className="flex flex-wrap items-center gap-1">
                            <StatusBadge status={end.status} />
                            <span className="text-slate-700">{end.message}</span>
                          </span>
                        ) : (
                          <span className="text-slate-500">{n.steps[id] ? "running…" : "not reached"}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
