"use client";
import type { RunView } from "../runs/run-view";
import { changesFound } from "./apply-all";

/**
 * "Apply all steps" on several nodes asks first: a Check of every step ran, and this says how many
 * changes it found on each node before anything changes.
 */
export function ConfirmApplyAll({ view, stepCount, onApply, onCancel }: { view: RunView; stepCount: number; onApply: () => void; onCancel: () => void }) {
  const found = changesFound(view);
  const many = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const stopped = found.nodes.filter((n) => n.stoppedAt);
  if (found.total === 0 && stopped.length === 0) {
    return (
      <p role="status" className="flex flex-wrap items-center gap-2 rounded border border-green-300 bg-green-50 p-3 text-sm">
        Every step is already done on these nodes: nothing to apply.
        <button type="button" onClick={onCancel} className="rounded border border-slate-400 bg-white px-2 py-0.5 text-xs font-semibold hover:bg-slate-100">
          OK
        </button>
      </p>
    );
  }
  return (
    <section role="alertdialog" aria-labelledby="confirm-all-heading" aria-describedby="confirm-all-text" className="space-y-2 rounded border-2 border-amber-400 bg-amber-50 p-3 text-sm">
      <h3 id="confirm-all-heading" className="font-semibold">
        Apply all {stepCount} steps on {many(view.nodes.length, "node")}?
      </h3>
      <div id="confirm-all-text" className="space-y-1">
        <p>
          The Check found <strong>{many(found.total, "change")}</strong> to make:{" "}
          {found.nodes.map((n, i) => (
            <span key={n.nodeId}>
              {i > 0 && ", "}
              <span className="font-mono">{n.name}</span>: {n.changes}
            </span>
          ))}
          .
        </p>
        {stopped.length > 0 && (
          <p className="text-slate-700">
            {stopped.map((n) => `${n.name}: the Check stopped at ${n.stoppedAt!.stepId} (${n.stoppedAt!.status})`).join("; ")}. Steps after it need the earlier ones
            applied first, so their changes are planned (and shown) when Apply gets there.
          </p>
        )}
      </div>
      <div className="flex gap-2">
        <button type="button" onClick={onApply} className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus:outline-2 focus:outline-blue-600">
          {/* With a node stopped early the count is a floor: the steps after it plan their changes when Apply gets there. */}
          {stopped.length ? "Apply all steps now" : `Apply ${many(found.total, "change")} now`}
        </button>
        <button type="button" onClick={onCancel} className="rounded border border-slate-400 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-100 focus:outline-2 focus:outline-blue-600">
          Do not apply
        </button>
      </div>
    </section>
  );
}
