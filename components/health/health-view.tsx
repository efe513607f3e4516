"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useDeferredValue, useMemo, useState } from "react";
import type { HealthMatrix as Matrix, ScanView } from "@/lib/contracts/health";
import { CellDetail, type ProbeHelp } from "./cell-detail";
import { DriftList } from "./drift-list";
import { GroupSelect } from "../groups/group-select";
import { useGroups } from "../groups/use-groups";
import { FilterInput } from "../ui/filter-input";
import { HealthMatrix, type CellRef } from "./health-matrix";
import { arrangeMatrix, STATUS_FILTERS, type StatusFilter } from "./matrix-groups";
import { StateLegend } from "./state-icon";
import { formatTime } from "./time";
import { useAutoScan, useDrift, useHealthMatrix, useRefreshWhenScanEnds, useStartScan } from "./use-health";

export const REFRESH_CHOICES = [
  { seconds: 0, label: "Off" },
  { seconds: 15, label: "every 15 s" },
  { seconds: 30, label: "every 30 s" },
  { seconds: 60, label: "every minute" },
  { seconds: 300, label: "every 5 minutes" },
];

/** The on-call screen: summary, scan controls with per-node progress, the matrix, a cell's raw output, drift. */
export function HealthView({ help = {} }: { help?: ProbeHelp }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const refresh = Number(params.get("refresh") ?? "0");
  const groupId = params.get("group");
  const statusParam = params.get("status");
  const status: StatusFilter = STATUS_FILTERS.some((f) => f.id === statusParam) ? (statusParam as StatusFilter) : "all";
  const byGroup = params.get("by") === "group";
  const [text, setText] = useState("");
  const deferredText = useDeferredValue(text);
  const groups = useGroups();
  const refreshSeconds = REFRESH_CHOICES.some((c) => c.seconds === refresh) ? refresh : 0;
  const matrix = useHealthMatrix();
  const start = useStartScan();
  const auto = useAutoScan(refreshSeconds * 1000);
  const [selected, setSelected] = useState<CellRef | null>(null);

  const setParam = (key: string, value: string | null) => {
    const q = new URLSearchParams(params.toString());
    if (value) q.set(key, value);
    else q.delete(key);
    router.replace(q.size ? `${pathname}?${q}` : pathname, { scroll: false });
  };
  const setRefresh = (seconds: number) => setParam("refresh", seconds ? String(seconds) : null);

  const data = matrix.data;
  const scan = data?.scan ?? null;
  const running = scan?.status === "running";
  const drift = useDrift({}, running);
  useRefreshWhenScanEnds(running);
  const progress = useMemo(() => new Map(running ? scan.nodes.map((n) => [n.nodeId, n]) : []), [running, scan]);

  const allGroups = useMemo(() => groups.data?.groups ?? [], [groups.data]);
  const group = allGroups.find((g) => g.id === groupId) ?? null;
  const arranged = useMemo(
    () => arrangeMatrix(data?.nodes ?? [], allGroups, { groupId: group?.id ?? null, status, text: deferredText, byGroup }),
    [data, allGroups, group, status, deferredText, byGroup],
  );

  const open = useMemo(() => {
    if (!selected || !data) return null;
    const row = data.nodes.find((n) => n.nodeId === selected.nodeId);
    const index = data.columns.findIndex((c) => c.probeId === selected.probeId);
    if (!row || index < 0) return null;
    return { row, column: data.columns[index], cell: row.cells[index] };
  }, [selected, data]);

  if (matrix.isPending) return <p className="text-slate-600">Loading health…</p>;
  if (matrix.error) return <p role="alert" className="text-red-700">Could not load health: {matrix.error.message}</p>;

  return (
    <div className="space-y-4">
      <Summary matrix={data!} />
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => start.mutate({ trigger: "manual" })}
          disabled={running || start.isPending}
          className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60"
        >
          {running ? "Scanning…" : "Scan now"}
        </button>
        {group && (
          <button
            type="button"
            onClick={() => start.mutate({ trigger: "manual", nodeIds: group.allNodeIds })}
            disabled={running || start.isPending || group.allNodeIds.length === 0}
            className="rounded border border-slate-900 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-100 disabled:opacity-60"
          >
            Scan group {group.name}
          </button>
        )}
        <button
          type="button"
          onClick={() => start.mutate({ trigger: "manual", rerunAll: true })}
          disabled={running || start.isPending}
          title="A scan runs a probe command again only when what it depends on changed; this runs every command now."
          className="rounded border border-slate-400 bg-white px-3 py-2 text-sm hover:bg-slate-100 disabled:opacity-60"
        >
          Re-run every command
        </button>
        <label className="flex items-center gap-2 text-sm">
          Auto refresh
          <select value={refreshSeconds} onChange={(e) => setRefresh(Number(e.target.value))} className="rounded border border-slate-300 bg-white px-2 py-1">
            {REFRESH_CHOICES.map((c) => (
              <option key={c.seconds} value={c.seconds}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {refreshSeconds > 0 && <span className="text-xs text-slate-600">paused while this tab is hidden</span>}
        {start.error && (
          <span role="alert" className="text-sm text-red-700">
            Scan refused: {start.error.message}
          </span>
        )}
        {auto.error && (
          <span role="alert" className="text-sm text-red-700">
            Automatic scan failed: {auto.error.message}
          </span>
        )}
      </div>
      <ScanProgress scan={scan} />
      {data!.nodes.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-700">No nodes yet: add hosts on the Nodes page.</p>
      ) : (
        <>
          <div role="search" aria-label="Filter the matrix" className="flex flex-wrap items-center gap-3 text-sm">
            <FilterInput value={text} onChange={setText} />
            <GroupSelect groups={allGroups} value={group?.id ?? ""} onChange={(id) => setParam("group", id || null)} />
            <label className="flex items-center gap-2">
              Show
              <select value={status} onChange={(e) => setParam("status", e.target.value === "all" ? null : e.target.value)} className="rounded border border-slate-300 bg-white px-2 py-1">
                {STATUS_FILTERS.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" className="size-4" checked={byGroup} onChange={(e) => setParam("by", e.target.checked ? "group" : null)} />
              one section per group
            </label>
            <span className="text-slate-600" role="status" aria-label="Rows shown">
              {arranged.rows.length === data!.nodes.length && !arranged.sections ? `${data!.nodes.length} nodes` : `${new Set(arranged.rows.map((r) => r.nodeId)).size} of ${data!.nodes.length} nodes`}
            </span>
          </div>
          <StateLegend />
          <HealthMatrix
            columns={data!.columns}
            rows={arranged.rows}
            keys={arranged.keys}
            sections={arranged.sections}
            progress={progress}
            selected={selected}
            onSelect={setSelected}
          />
        </>
      )}
      {open && <CellDetail key={`${open.row.nodeId}/${open.column.probeId}/${open.cell.checkId}`} {...open} help={help[open.column.probeId]} onClose={() => setSelected(null)} />}
      <section aria-labelledby="drift-heading" className="space-y-2">
        <h2 id="drift-heading" className="text-lg font-semibold">
          Drift
        </h2>
        {drift.data ? <DriftList events={drift.data.events} /> : <p className="text-sm text-slate-600">Loading drift…</p>}
      </section>
    </div>
  );
}

function Summary({ matrix }: { matrix: Matrix }) {
  const { ready, total, unreachable, neverChecked } = matrix.summary;
  return (
    <div role="status" aria-label="Readiness summary" className="flex flex-wrap items-baseline gap-x-6 gap-y-1 rounded border border-slate-200 bg-white p-4">
      <p className="text-2xl font-bold" data-testid="ready-count">
        {ready} ready of {total}
      </p>
      <div className="h-3 min-w-40 flex-1 overflow-hidden rounded bg-slate-200" aria-hidden="true">
        <div className="h-full bg-emerald-700" style={{ width: total ? `${(ready / total) * 100}%` : 0 }} />
      </div>
      {unreachable > 0 && <p className="text-sm font-semibold">{unreachable} unreachable</p>}
      {neverChecked > 0 && <p className="text-sm">{neverChecked} never checked</p>}
    </div>
  );
}

function ScanProgress({ scan }: { scan: ScanView | null }) {
  if (!scan)
    return (
      <p className="text-sm text-slate-600" data-testid="scan-status" data-status="none">
        No scan yet: press Scan now.
      </p>
    );
  const finished = scan.nodes.filter((n) => n.state === "done" || n.state === "unreachable").length;
  const running = scan.status === "running";
  return (
    <div aria-live="polite" className="text-sm text-slate-700" data-testid="scan-status" data-scan-id={scan.id} data-status={scan.status}>
      {running ? (
        <p>
          Scanning: {finished} of {scan.nodes.length} nodes done.{" "}
          {(() => {
            // A fleet's scan: the first few nodes at work, then a count (the rows show each node's state).
            const busy = scan.nodes.filter((n) => n.state === "connecting" || n.state === "probing");
            const queued = scan.nodes.filter((n) => n.state === "queued").length;
            const shown = busy.slice(0, 8).map((n) => `${n.name} ${n.state}`);
            if (busy.length > 8) shown.push(`${busy.length - 8} more at work`);
            if (queued) shown.push(`${queued} queued`);
            return shown.join(", ");
          })()}
        </p>
      ) : (
        <p>
          Last scan {scan.finishedAt ? `finished at ${formatTime(scan.finishedAt)}` : `started at ${formatTime(scan.startedAt)} (${scan.status})`}: {scan.nodes.length} node
          {scan.nodes.length === 1 ? "" : "s"}
          {scan.nodes.some((n) => n.state === "unreachable") && `, ${scan.nodes.filter((n) => n.state === "unreachable").length} unreachable`}.
        </p>
      )}
    </div>
  );
}
