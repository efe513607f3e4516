"use client";
import Link from "next/link";
import { wizardStepHref } from "@/lib/api/health";
import type { HealthCell, HealthColumn, HealthNodeRow } from "@/lib/contracts/health";
import { hasHowChecked, hostOutput, shownCommand, showsExitCode, splitRaw } from "@/lib/raw-output";
import { TrustedMarkdown } from "../ui/trusted-markdown";
import { StateBadge } from "./state-icon";
import { formatTime } from "./time";
import { useCheck } from "./use-health";

/** Rendered help per probe id (content/probes/<id>.md, rendered on the server). */
export type ProbeHelp = Record<string, string>;

/** A cell opened: verdict, observed vs expected, every command's raw output as text, the fixing step, and the probe's help. */
export function CellDetail({ row, column, cell, help, onClose }: { row: HealthNodeRow; column: HealthColumn; cell: HealthCell; help?: string; onClose?: () => void }) {
  const check = useCheck(cell.checkId);
  const result = check.data?.results.find((r) => r.probeId === cell.probeId);
  return (
    <section aria-label={`${column.title} on ${row.name}`} className="space-y-3 rounded border border-slate-300 bg-white p-4" data-testid="cell-detail">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">
          {column.title} on {row.name}
        </h2>
        {onClose && (
          <button type="button" onClick={onClose} className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100">
            Close
          </button>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <StateBadge state={cell.state} />
        {cell.at && (
          <span>
            {cell.state === "unreachable" ? "tried" : "checked"} at <time dateTime={cell.at}>{formatTime(cell.at)}</time>
          </span>
        )}
        <span className="font-mono text-xs text-slate-500">{column.probeId}</span>
      </div>
      {cell.state === "unreachable" && (
        <p role="note" className="rounded bg-slate-100 p-2 text-sm">
          {cell.observed}
          {cell.lastKnown && result && (
            <span className="block text-slate-600">
              The last answer, at {formatTime(check.data!.at)}, said: {cell.lastKnown} (raw output below).
            </span>
          )}
        </p>
      )}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {cell.state !== "unreachable" && (
          <>
            <dt className="text-slate-600">observed</dt>
            <dd className="font-mono">{cell.observed}</dd>
          </>
        )}
        {cell.expected && (
          <>
            <dt className="text-slate-600">expected</dt>
            <dd className="font-mono">{cell.expected}</dd>
          </>
        )}
        {cell.detail && (
          <>
            <dt className="text-slate-600">detail</dt>
            <dd>{cell.detail}</dd>
          </>
        )}
      </dl>
      {result && result.checks.length > 0 && (
        <table className="text-sm">
          <caption className="sr-only">Values judged</caption>
          <tbody>
            {result.checks.map((c) => (
              <tr key={c.name}>
                <th scope="row" className="pr-3 text-left font-mono font-normal">
                  {c.name}
                </th>
                <td className="pr-3">
                  <StateBadge state={c.status} />
                </td>
                <td className="font-mono">
                  {c.observed} <span className="text-slate-500">(expected {c.expected})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {check.isPending && cell.checkId !== null && <p className="text-sm text-slate-600">Loading the raw output…</p>}
      {check.error && <p role="alert" className="text-sm text-red-700">Could not load the raw output: {check.error.message}</p>}
      {result &&
        splitRaw(result.raw).shown.map((raw, i, shown) => (
        <figure key={i} className="space-y-1">
          <figcaption className="font-mono text-xs text-slate-700">
            $ {shownCommand(raw)}
            {showsExitCode(result.status, raw) && <span className="text-slate-500"> (exit {raw.exitCode ?? "none"})</span>}
            {raw.ranAt && (
              <span className="block font-sans text-slate-600" data-testid="reused-output">
                Output from <time dateTime={raw.ranAt}>{formatTime(raw.ranAt)}</time>: not run again, what it depends on read the same in this check.
              </span>
            )}
          </figcaption>
          {/* Host output is text: React escapes it, nothing is ever parsed as HTML. */}
          <pre aria-label={`Raw output of ${column.title}${shown.length > 1 ? ` (${i + 1})` : ""}`} className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">
            {hostOutput(raw.output) || "(no output)"}
          </pre>
          {raw.inputs !== undefined && (
            <details className="text-xs text-slate-600">
              <summary>What this output depends on, as read (shell builtins, no process) in the same round trip</summary>
              <pre className="max-h-40 overflow-auto whitespace-pre-wrap rounded bg-slate-100 p-2 font-mono">{raw.inputs}</pre>
            </details>
          )}
        </figure>
      ))}
      {result && hasHowChecked(result) && (
        <details className="text-xs text-slate-600">
          <summary>How nodeprep checked</summary>
          <pre aria-label={`How nodeprep checked ${column.title}`} className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-100 p-2 font-mono">
            {result.raw.map((r) => `$ ${r.command}\n${r.output}${r.output && !r.output.endsWith("\n") ? "\n" : ""}(exit ${r.exitCode ?? "none"})\n`).join("")}
          </pre>
        </details>
      )}
      {column.fixStepId ? (
        <p>
          <Link href={wizardStepHref(column.fixStepId, row.nodeId)} className="font-semibold text-sky-800 underline">
            Fix it in the wizard: step {column.fixStepId} for {row.name}
          </Link>
        </p>
      ) : (
        <p className="text-sm text-slate-600">No wizard step changes this: the detail above{help ? " and the help below say" : " says"} what to do on the host.</p>
      )}
      {help && (
        <details className="text-sm">
          <summary className="cursor-pointer font-semibold">About this check: {column.title}</summary>
          <TrustedMarkdown html={help} label={`About ${column.title}`} className="mt-2" />
        </details>
      )}
    </section>
  );
}
