"use client";
import type { PlannedAction } from "@/lib/contracts/catalog";
import { actionTitle, copyAllText } from "@/lib/plan";
import { CopyButton } from "./copy-button";
import type { NodeView } from "./run-view";

function DiffBlock({ diff }: { diff: string }) {
  // Skip the "Index:/===" preamble; colour by the line's first character (text only, never HTML).
  const lines = diff.split("\n").filter((l) => !/^(Index: |={5,})/.test(l));
  return (
    <pre aria-label="File diff" tabIndex={0} className="max-h-[32rem] overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs leading-5">
      {lines.map((l, i) => (
        <div
          key={i}
          className={
            l.startsWith("+") && !l.startsWith("+++")
              ? "bg-green-50 text-green-900"
              : l.startsWith("-") && !l.startsWith("---")
                ? "bg-red-50 text-red-900"
                : l.startsWith("@@")
                  ? "text-slate-500"
                  : ""
          }
        >
          {l || " "}
        </div>
      ))}
    </pre>
  );
}

function ActionItem({ action }: { action: PlannedAction }) {
  return (
    <li className="space-y-1 rounded border border-slate-200 bg-white p-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm font-medium">{actionTitle(action)}</span>
        <CopyButton text={action.script} label="Copy command" />
      </div>
      <p className="text-xs text-slate-600">Why: {action.reason}</p>
      <pre aria-label="Commands" tabIndex={0} className="max-h-72 overflow-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{action.script}</pre>
      {action.kind === "write-file" && <DiffBlock diff={action.diff} />}
    </li>
  );
}

/** The plan of one step on each node: the exact changes, before anything runs. */
export function PlanPanel({ nodes, stepId }: { nodes: NodeView[]; stepId: string }) {
  const withPlan = nodes.filter((n) => n.steps[stepId]?.plan);
  if (withPlan.length === 0) return <p className="text-sm text-slate-600">Press Check to see the plan for the selected nodes. Nothing changes on Check.</p>;
  return (
    <div className="space-y-3">
      {withPlan.map((n) => {
        const plan = n.steps[stepId].plan!;
        const all = copyAllText(plan.actions);
        return (
          <section key={n.nodeId} aria-label={`Plan for ${n.name}`} className="space-y-2">
            <div className="flex items-center justify-between gap-2">
              <h4 className="font-mono text-sm font-semibold">{n.name}</h4>
              {plan.actions.length > 0 && <CopyButton text={all} label="Copy all" />}
            </div>
            {plan.actions.length === 0 ? (
              <p className="text-sm text-green-800">Already done: nothing to change.</p>
            ) : (
              <ol className="space-y-2">
                {plan.actions.map((a, i) => (
                  <ActionItem key={i} action={a} />
                ))}
              </ol>
            )}
            {plan.notes.map((note) => (
              <p key={note} className="text-xs text-slate-700">
                Note: {note}
              </p>
            ))}
          </section>
        );
      })}
    </div>
  );
}
