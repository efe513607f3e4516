"use client";
import Link from "next/link";
import type { StepProgress, StepSummary } from "@/lib/contracts/catalog";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { StatusBadge } from "../runs/status-badge";
import { useProgress } from "./use-progress";

export interface Chapter {
  id: string;
  title: string;
  summary: string;
}

export function StepList({
  steps,
  currentStepId,
  nodes,
  hrefFor,
  chapters = [],
}: {
  steps: Pick<StepSummary, "id" | "title" | "order" | "summary">[];
  currentStepId: string;
  nodes: NodeSummary[];
  hrefFor: (stepId: string) => string;
  /** Reading before step 1 (chapter 0): no progress per node, it changes nothing. */
  chapters?: Chapter[];
}) {
  // The server reports up to 200 nodes; past a dozen the list shows counts per state, not a badge per node.
  const progress = useProgress(nodes.slice(0, 200).map((n) => n.id));
  const many = nodes.length > 12;
  return (
    <nav aria-label="Wizard steps">
      <ol className="space-y-1">
        {chapters.map((c) => (
          <li key={c.id}>
            <Link
              href={hrefFor(c.id)}
              aria-current={c.id === currentStepId ? "step" : undefined}
              className={`block rounded border px-3 py-2 focus:outline-2 focus:outline-blue-600 ${c.id === currentStepId ? "border-slate-900 bg-white" : "border-dashed border-slate-300 hover:bg-white"}`}
            >
              <span className="font-mono text-xs text-slate-500">0.</span> <span className="font-medium">{c.title}</span>
              <span className="block text-xs text-slate-600">{c.summary}</span>
            </Link>
          </li>
        ))}
        {steps.map((s) => {
          const current = s.id === currentStepId;
          return (
            <li key={s.id}>
              <Link
                href={hrefFor(s.id)}
                aria-current={current ? "step" : undefined}
                className={`block rounded border px-3 py-2 focus:outline-2 focus:outline-blue-600 ${current ? "border-slate-900 bg-white" : "border-transparent hover:bg-white"}`}
              >
                <span className="font-mono text-xs text-slate-500">{s.order}.</span> <span className="font-medium">{s.title}</span>
                <span className="block text-xs text-slate-600">{s.summary}</span>
                {many && <StateCounts stepId={s.id} progress={progress.data?.progress ?? []} total={nodes.length} />}
                {nodes.length > 0 && !many && (
                  <span className="mt-1 flex flex-wrap gap-1">
                    {nodes.map((n) => {
                      const p = progress.data?.progress.find((x) => x.nodeId === n.id && x.stepId === s.id);
                      return <StatusBadge key={n.id} status={p?.state ?? "not-started"} label={`${n.name}: ${p?.state.replace("-", " ") ?? "not started"}`} />;
                    })}
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function StateCounts({ stepId, progress, total }: { stepId: string; progress: StepProgress[]; total: number }) {
  const counts = new Map<string, number>();
  for (const p of progress) if (p.stepId === stepId) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  const known = [...counts.values()].reduce((a, b) => a + b, 0);
  return (
    <span className="mt-1 block text-xs text-slate-700">
      {[...counts.entries()].map(([state, n]) => `${n} ${state.replace("-", " ")}`).join(", ") || "no progress yet"}
      {known < total && ` (of the first ${known} of ${total} nodes)`}
    </span>
  );
}
