"use client";
import Link from "next/link";
import type { StepSummary } from "@/lib/contracts/catalog";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { StatusBadge } from "../runs/status-badge";
import { useProgress } from "./use-progress";

export function StepList({
  steps,
  currentStepId,
  nodes,
  hrefFor,
}: {
  steps: Pick<StepSummary, "id" | "title" | "order" | "summary">[];
  currentStepId: string;
  nodes: NodeSummary[];
  hrefFor: (stepId: string) => string;
}) {
  const progress = useProgress(nodes.map((n) => n.id));
  return (
    <nav aria-label="Wizard steps">
      <ol className="space-y-1">
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
                {nodes.length > 0 && (
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
