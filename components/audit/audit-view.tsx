"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { auditApi } from "@/lib/api/audit";
import { AuditFilter, auditSearchParams, type AuditEntry } from "@/lib/contracts/audit";
import { useNodes } from "../nodes/use-nodes";
import { AUDIT_PAGE_SIZE, useAudit, useAuditScript } from "./use-audit";

const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";

/** datetime-local (local time, no zone) <-> ISO UTC for the API. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
function toLocal(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The filters live in the URL, so a filtered view can be shared and survives a reload. */
export function AuditView() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const parsed = AuditFilter.safeParse(Object.fromEntries(search));
  const filter: AuditFilter = parsed.success ? parsed.data : {};
  // The page is in the URL too (`before`: entries older than that sequence number), so Back returns to
  // the newer page and a page can be shared.
  const before = /^\d+$/.test(search.get("before") ?? "") ? Number(search.get("before")) : undefined;
  const audit = useAudit(filter, before);
  const entries = audit.data?.entries ?? [];
  const page = (b: number | undefined) => `${pathname}?${auditSearchParams({ ...filter, before: b })}`;
  return (
    <div className="space-y-4">
      <FilterForm key={search.toString()} filter={filter} onApply={(f) => router.replace(`${pathname}?${auditSearchParams(f)}`)} />
      <div className="flex gap-2 text-sm">
        <a href={auditApi.exportUrl(filter, "jsonl")} download className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100">
          Export JSON Lines
        </a>
        <a href={auditApi.exportUrl(filter, "csv")} download className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100">
          Export CSV
        </a>
      </div>
      {!parsed.success && <p role="alert" className="text-red-700">Ignoring a malformed filter in the address: {parsed.error.issues[0].message}</p>}
      {audit.isPending && <p className="text-slate-600">Loading the audit log…</p>}
      {audit.error && <p role="alert" className="text-red-700">Could not load the audit log: {audit.error.message}</p>}
      {audit.data && entries.length === 0 && <p className="text-slate-700">No entries match.</p>}
      {entries.length > 0 && <AuditTable entries={entries} />}
      {(before !== undefined || audit.data?.nextBefore) && (
        <nav aria-label="Audit pages" className="flex items-center gap-2 text-sm">
          {before !== undefined && (
            <button type="button" onClick={() => router.push(page(undefined))} className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100">
              Newest entries
            </button>
          )}
          {entries.length > 0 && (
            <span className="text-slate-600">
              {`entries #${entries[entries.length - 1].seq} to #${entries[0].seq}, ${AUDIT_PAGE_SIZE} per page`}
            </span>
          )}
          {audit.data?.nextBefore && (
            <button type="button" onClick={() => router.push(page(audit.data.nextBefore!))} disabled={audit.isFetching} className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100">
              Older entries
            </button>
          )}
        </nav>
      )}
    </div>
  );
}

function FilterForm({ filter, onApply }: { filter: AuditFilter; onApply: (f: AuditFilter) => void }) {
  const { data: nodes } = useNodes();
  const [user, setUser] = useState(filter.user ?? "");
  const [node, setNode] = useState(filter.node ?? "");
  const [from, setFrom] = useState(toLocal(filter.from));
  const [to, setTo] = useState(toLocal(filter.to));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ user: user || undefined, node: node || undefined, action: filter.action, from: toIso(from), to: toIso(to) });
  };
  return (
    <form onSubmit={submit} aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3">
      <label className="space-y-1">
        <span className="block text-sm font-medium">User</span>
        <input name="user" value={user} maxLength={64} onChange={(e) => setUser(e.target.value)} className={input} />
      </label>
      <label className="space-y-1">
        <span className="block text-sm font-medium">Node</span>
        <select name="node" value={node} onChange={(e) => setNode(e.target.value)} className={input}>
          <option value="">any node</option>
          {nodes?.nodes.map((n) => (
            <option key={n.id} value={n.id}>{n.name}</option>
          ))}
        </select>
      </label>
      <label className="space-y-1">
        <span className="block text-sm font-medium">From</span>
        <input name="from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className={input} />
      </label>
      <label className="space-y-1">
        <span className="block text-sm font-medium">To</span>
        <input name="to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className={input} />
      </label>
      <button type="submit" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">Apply filters</button>
      <button type="button" onClick={() => onApply({})} className="rounded border border-slate-300 px-3 py-2 text-sm hover:bg-slate-100">Clear</button>
    </form>
  );
}

/** The text of a generated script (facts, a probe batch), stored once and fetched when opened. */
function ScriptText({ hash }: { hash: string }) {
  const [open, setOpen] = useState(false);
  const script = useAuditScript(hash, open);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)} className="mt-1">
      <summary className="cursor-pointer text-xs text-slate-600">script sha256 {hash.slice(0, 12)}…</summary>
      {script.isPending && open && <p className="text-xs text-slate-600">Loading the script…</p>}
      {script.error && <p role="alert" className="text-xs text-red-700">Could not load the script: {script.error.message}</p>}
      {script.data && (
        <pre aria-label={`Script ${hash}`} className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs">
          {script.data.text}
        </pre>
      )}
    </details>
  );
}

/** A command as run; a long one (a file written with its content) shows its first lines, the rest one click away. */
function CommandText({ command }: { command: string }) {
  const lines = command.split("\n");
  if (lines.length <= 4) return <code className="block whitespace-pre-wrap break-all font-mono text-xs">{command}</code>;
  return (
    <details>
      <summary className="cursor-pointer">
        <code className="whitespace-pre-wrap break-all font-mono text-xs">{lines.slice(0, 2).join("\n")}</code>
        <span className="ml-1 text-xs text-slate-600">{`… ${lines.length - 2} more lines`}</span>
      </summary>
      <code className="block whitespace-pre-wrap break-all font-mono text-xs">{lines.slice(2).join("\n")}</code>
    </details>
  );
}

// Everything is rendered as text (React escapes it): commands and details come from users and hosts.
function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Audit log</caption>
      <thead className="bg-slate-100 text-left">
        <tr>
          <th scope="col" className="p-2">Time</th>
          <th scope="col" className="p-2">User</th>
          <th scope="col" className="p-2">Action</th>
          <th scope="col" className="p-2">Node</th>
          <th scope="col" className="p-2">Command / detail</th>
          <th scope="col" className="p-2">Exit</th>
          <th scope="col" className="p-2">Duration</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.seq} className="border-t border-slate-200 align-top">
            <td className="whitespace-nowrap p-2 font-mono text-xs">{e.at.replace("T", " ").replace(/\.\d+Z$/, "Z")}</td>
            <td className="p-2">{e.actor ?? "—"}</td>
            <td className="p-2">{e.action}</td>
            <td className="p-2">{e.nodeName ?? e.nodeId ?? ""}{e.stepId && <span className="block text-xs text-slate-500">{e.stepId}</span>}</td>
            <td className="max-w-xl p-2">
              {e.command && <CommandText command={e.command} />}
              {e.scriptHash && <ScriptText hash={e.scriptHash} />}
              {e.detail && <span className="block break-all font-mono text-xs text-slate-600">{JSON.stringify(e.detail)}</span>}
            </td>
            <td className="p-2 font-mono">{e.exitCode ?? ""}</td>
            <td className="p-2 font-mono text-xs">
              {e.durationMs !== null ? `${e.durationMs} ms` : ""}
              {e.outputBytes !== null && <span className="block text-slate-500">{e.outputBytes} B out</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
