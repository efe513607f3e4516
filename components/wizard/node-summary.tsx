"use client";
import Link from "next/link";
import { nodesApi } from "@/lib/api/nodes";
import type { NodeReport } from "@/lib/contracts/report";
import { formatTime } from "../runs/format";
import { StatusBadge } from "../runs/status-badge";

/** One node at the end of the wizard: how many steps are verified, what nodeprep changed and when, where to go next. */
export function NodeSummary({ report, stepHref }: { report: NodeReport; stepHref: (stepId: string) => string }) {
  const { node, summary } = report;
  const open = report.steps.filter((s) => s.state !== "done");
  const changed = report.steps.filter((s) => s.lastChange);
  return (
    <section aria-label={`Summary for ${node.name}`} className="space-y-3 rounded border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="font-mono text-lg font-semibold">{node.name}</h2>
        <StatusBadge status={summary.ready ? "done" : "planned"} label={summary.ready ? "ready" : "not ready yet"} />
      </div>
      <p className={`text-base font-semibold ${summary.ready ? "text-green-900" : "text-amber-900"}`} data-testid="readiness">
        {summary.ready ? "Ready for a container runtime" : "Not ready yet"}: {summary.verified} of {summary.total} verified
      </p>
      {open.length > 0 && (
        <ul aria-label={`Steps still open on ${node.name}`} className="space-y-1 text-sm">
          {open.map((s) => (
            <li key={s.stepId} className="flex flex-wrap items-center gap-2">
              <StatusBadge status={s.state} />
              <Link className="underline" href={stepHref(s.stepId)}>
                step {s.order}: {s.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <h3 className="font-semibold">What was changed, and when</h3>
      {changed.length === 0 ? (
        <p className="text-sm text-slate-700">nodeprep changed nothing on this node: every step it ran found the host already right.</p>
      ) : (
        <table className="w-full text-sm" aria-label={`Changes on ${node.name}`}>
          <thead>
            <tr className="text-left text-slate-600">
              <th scope="col" className="pr-3 font-medium">step</th>
              <th scope="col" className="pr-3 font-medium">when</th>
              <th scope="col" className="pr-3 font-medium">by</th>
              <th scope="col" className="font-medium">what changed</th>
            </tr>
          </thead>
          <tbody>
            {changed.map((s) => (
              <tr key={s.stepId} className="border-t border-slate-100 align-top">
                <th scope="row" className="py-1 pr-3 text-left font-normal">
                  {s.order}. {s.title}
                </th>
                <td className="py-1 pr-3 whitespace-nowrap">
                  <Link className="underline" href={`/runs/${s.lastChange!.runId}`}>
                    <time dateTime={s.lastChange!.at}>{formatTime(s.lastChange!.at)}</time>
                  </Link>
                </td>
                <td className="py-1 pr-3">{s.lastChange!.actor ?? "—"}</td>
                <td className="py-1">
                  <ul className="font-mono text-xs">
                    {s.lastChange!.actions.map((a, i) => (
                      <li key={i}>{a.what}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Link className="font-semibold text-sky-800 underline" href={`/health/${node.id}`}>
          Health view of {node.name}
        </Link>
        <a className="text-sky-800 underline" href={nodesApi.reportUrl(node.id, "md")} download>
          Download the report (Markdown)
        </a>
        <a className="text-sky-800 underline" href={nodesApi.reportUrl(node.id, "json")} download={`nodeprep-report-${node.name}.json`}>
          Download the report (JSON)
        </a>
      </p>
    </section>
  );
}
