"use client";
import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { nodesApi } from "@/lib/api/nodes";
import { queryKeys } from "@/lib/queries";
import { useNodes } from "../nodes/use-nodes";
import { TrustedMarkdown } from "../ui/trusted-markdown";
import { NodePicker } from "./node-picker";
import { NodeSummary } from "./node-summary";
import { useQueryUpdater } from "./use-query-updater";

type StepRef = { id: string; title: string; order: number };

/** The wizard's ending (/wizard/summary?nodes=...): a summary per selected node, then what comes next. */
export function WizardSummary({ steps, nextHtml }: { steps: StepRef[]; nextHtml: string }) {
  const params = useSearchParams();
  const selected = (params.get("nodes") ?? "").split(",").filter(Boolean);
  const setQuery = useQueryUpdater();
  const nodes = useNodes();
  const reports = useQueries({ queries: selected.map((id) => ({ queryKey: queryKeys.nodes.report(id), queryFn: () => nodesApi.report(id) })) });
  const nodesQ = selected.length ? `?nodes=${selected.join(",")}` : "";
  const last = steps[steps.length - 1];
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <p className="font-mono text-xs text-slate-500">After step {last.order} of {steps.length}</p>
        <h1 className="text-2xl font-bold">Where your nodes stand</h1>
        <p className="text-slate-700">Every step&apos;s latest verification on each node, what nodeprep changed and when, and the report to keep.</p>
      </header>
      <NodePicker nodes={nodes.data?.nodes ?? []} selected={selected} loading={nodes.isPending} onChange={(ids) => setQuery({ nodes: ids.join(",") || null })} />
      {selected.length === 0 && <p className="text-sm text-slate-700">Select the nodes you prepared.</p>}
      {reports.map((r, i) =>
        r.data ? (
          <NodeSummary key={selected[i]} report={r.data} stepHref={(stepId) => `/wizard/${stepId}${nodesQ}`} />
        ) : r.error ? (
          <p key={selected[i]} role="alert" className="text-sm text-red-800">
            Could not load the report of a node: {r.error.message}
          </p>
        ) : (
          <p key={selected[i]} className="text-sm text-slate-600">
            Loading the report…
          </p>
        ),
      )}
      {nextHtml && <TrustedMarkdown html={nextHtml} label="What comes next" className="max-w-3xl" />}
      <p>
        <Link className="text-sm underline" href={`/wizard/${last.id}${nodesQ}`}>
          ← Back to step {last.order}: {last.title}
        </Link>
      </p>
    </div>
  );
}
