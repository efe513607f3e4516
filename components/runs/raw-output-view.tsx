import type { ProbeResult, RawOutput } from "@/lib/contracts/catalog";
import { focusOutput, hasHowChecked, hostOutput, shownCommand, showsExitCode, splitRaw, type FocusBlock } from "@/lib/raw-output";

const ensureNewline = (text: string) => (text && !text.endsWith("\n") ? `${text}\n` : text);

function Focused({ blocks }: { blocks: FocusBlock[] }) {
  return (
    <>
      {blocks.map((b, i) => (
        <div key={i} className="mt-1">
          {b.table && <div className="text-sky-300">{`# in [${b.table}]`}</div>}
          {i > 0 || b.lines[0].n > 1 ? <div className="text-slate-500">…</div> : null}
          {b.lines.map((l) => (
            <div key={l.n}>
              <div className={l.decides ? "bg-amber-200 font-semibold text-slate-900" : l.note ? "bg-slate-700" : ""}>
                <span className="mr-2 inline-block w-8 select-none text-right text-slate-500">{l.n}</span>
                {l.text || " "}
              </div>
              {l.note && <div className="ml-10 whitespace-normal font-sans text-sky-200">{`↑ ${l.note}`}</div>}
            </div>
          ))}
        </div>
      ))}
    </>
  );
}

function OneOutput({ r, status, title }: { r: RawOutput; status: ProbeResult["status"]; title: string }) {
  const blocks = focusOutput(r);
  const output = hostOutput(r.output);
  return (
    <div className="space-y-1">
      <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-2 font-mono text-xs leading-5 text-slate-100">
        <span className="text-green-300">{`$ ${shownCommand(r)}`}</span>
        {"\n"}
        {blocks ? <Focused blocks={blocks} /> : ensureNewline(output)}
        {showsExitCode(status, r) ? `(exit ${r.exitCode})\n` : ""}
      </pre>
      {blocks && (
        <details className="text-xs">
          <summary className="cursor-pointer text-slate-700">{`Whole output of ${shownCommand(r)} (${output.replace(/\n$/, "").split("\n").length} lines)`}</summary>
          <pre aria-label={`Whole output of ${shownCommand(r)} for ${title}`} className="max-h-96 overflow-auto rounded bg-slate-900 p-2 font-mono text-xs leading-5 text-slate-100">
            {output}
          </pre>
        </details>
      )}
    </div>
  );
}

/**
 * A probe's output as a person reads it: the command they would type and the host's own output first
 * (long ones focused on the lines that decide), then how nodeprep really checked, folded.
 */
export function RawOutputView({ result }: { result: ProbeResult }) {
  const { shown } = splitRaw(result.raw);
  return (
    <div className="space-y-1">
      <div aria-label={`Raw output of ${result.title}`} tabIndex={0} className="space-y-1">
        {shown.map((r, i) => (
          <OneOutput key={i} r={r} status={result.status} title={result.title} />
        ))}
      </div>
      {hasHowChecked(result) && (
        <details className="text-xs">
          <summary className="cursor-pointer text-slate-700">How nodeprep checked</summary>
          <pre aria-label={`How nodeprep checked ${result.title}`} className="max-h-96 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs leading-5 text-slate-800">
            {result.raw.map((r) => `$ ${r.command}\n${ensureNewline(r.output)}(exit ${r.exitCode ?? "none"})\n`).join("")}
          </pre>
        </details>
      )}
    </div>
  );
}
