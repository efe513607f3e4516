"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { nodesApi } from "@/lib/api/nodes";
import type { HostFacts } from "@/lib/contracts/facts";
import type { CheckSummary } from "@/lib/contracts/health";
import { queryKeys } from "@/lib/queries";
import { useCan } from "../auth/use-me";
import { CellDetail, type ProbeHelp } from "./cell-detail";
import { DriftList } from "./drift-list";
import { StackPicture } from "./stack-picture";
import { StateBadge, StateIcon } from "./state-icon";
import { formatTime } from "./time";
import { useNodeHealth, useRefreshWhenScanEnds, useStartScan } from "./use-health";

/** One node: its runtime stack lit by status, each probe (openable), facts, drift and health history. */
export function NodeHealthView({ nodeId, help = {} }: { nodeId: string; help?: ProbeHelp }) {
  const q = useNodeHealth(nodeId);
  const start = useStartScan();
  const qc = useQueryClient();
  const canGather = useCan("operator");
  // Facts are one more round trip (server/facts): a scan gathers them only for a node that has none; this button does.
  const gather = useMutation({
    mutationFn: () => nodesApi.refreshFacts(nodeId),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.health.node(nodeId) }),
  });
  const [probeId, setProbeId] = useState<string | null>(null);
  const scanState = q.data?.scan?.state;
  useRefreshWhenScanEnds(scanState === "queued" || scanState === "connecting" || scanState === "probing");
  if (q.isPending) return <p className="text-slate-600">Loading…</p>;
  if (q.error) return <p role="alert" className="text-red-700">Could not load this node&apos;s health: {q.error.message}</p>;
  const { row, columns, facts, history, drift, scan } = q.data;
  const scanning = scan !== null && ["queued", "connecting", "probing"].includes(scan.state);
  const openIndex = columns.findIndex((c) => c.probeId === probeId);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="text-sm">
            <Link href="/health" className="text-sky-800 underline">
              Health
            </Link>{" "}
            / {row.name}
          </p>
          <h1 className="text-2xl font-bold">{row.name}</h1>
          <p className="font-mono text-sm text-slate-600">
            {row.address}:{row.port}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <p role="status" aria-label="Node readiness" className="font-semibold" data-ready={row.ready}>
            {row.lastCheck === null ? "never checked" : row.ready ? "ready" : row.lastCheck.reach === "unreachable" ? "unreachable" : "not ready"}
            {scanning && <span className="ml-2 font-normal text-sky-800">({scan.state}…)</span>}
          </p>
          <button
            type="button"
            onClick={() => start.mutate({ nodeIds: [row.nodeId], trigger: "manual" })}
            disabled={scanning || start.isPending}
            className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60"
          >
            {scanning ? "Scanning…" : "Scan this node"}
          </button>
        </div>
      </div>
      {start.data?.alreadyRunning && <p className="text-sm text-slate-600">A scan of all nodes was already running: this node is part of it.</p>}
      {row.lastCheck?.reach === "unreachable" && (
        <p role="alert" className="rounded border border-slate-400 bg-slate-100 p-3 text-sm">
          Unreachable at {formatTime(row.lastCheck.at)}: {row.lastCheck.message}
        </p>
      )}

      <section aria-labelledby="stack-heading" className="space-y-2">
        <h2 id="stack-heading" className="text-lg font-semibold">
          Runtime stack
        </h2>
        <StackPicture columns={columns} cells={row.cells} />
      </section>

      <section aria-labelledby="probes-heading" className="space-y-2">
        <h2 id="probes-heading" className="text-lg font-semibold">
          Probes
        </h2>
        <ul className="grid gap-1 sm:grid-cols-2">
          {columns.map((c, i) => (
            <li key={c.probeId}>
              <button
                type="button"
                aria-pressed={probeId === c.probeId}
                onClick={() => setProbeId(probeId === c.probeId ? null : c.probeId)}
                className="flex w-full items-center gap-2 rounded border border-slate-200 bg-white p-2 text-left text-sm hover:bg-slate-50"
              >
                <StateIcon state={row.cells[i].state} size="sm" />
                <span className="font-medium">{c.title}</span>
                <span className="truncate font-mono text-xs text-slate-600">{row.cells[i].observed}</span>
              </button>
            </li>
          ))}
        </ul>
        {openIndex >= 0 && <CellDetail row={row} column={columns[openIndex]} cell={row.cells[openIndex]} help={help[columns[openIndex].probeId]} onClose={() => setProbeId(null)} />}
      </section>

      <section aria-labelledby="drift-heading" className="space-y-2">
        <h2 id="drift-heading" className="text-lg font-semibold">
          Drift
        </h2>
        <DriftList events={drift} showNode={false} />
      </section>

      <section aria-labelledby="facts-heading" className="space-y-2">
        <h2 id="facts-heading" className="text-lg font-semibold">
          Facts
        </h2>
        {facts ? <Facts facts={facts} /> : <p className="text-sm text-slate-600">No facts gathered yet.</p>}
        <p className="flex flex-wrap items-center gap-3 text-sm">
          {canGather && (
            <button
              type="button"
              onClick={() => gather.mutate()}
              disabled={gather.isPending}
              className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100 disabled:opacity-60"
            >
              {gather.isPending ? "Gathering facts…" : "Gather facts"}
            </button>
          )}
          <Link href={`/nodes/${row.nodeId}`} className="text-sky-800 underline">
            Connection and host key on the node&apos;s page
          </Link>
        </p>
        {gather.data && !gather.data.ok && <p role="alert" className="text-sm text-red-700">Could not gather facts: {gather.data.message}</p>}
        {gather.error && <p role="alert" className="text-sm text-red-700">Could not gather facts: {gather.error.message}</p>}
      </section>

      <section aria-labelledby="history-heading" className="space-y-2">
        <h2 id="history-heading" className="text-lg font-semibold">
          Health history
        </h2>
        <History history={history} />
      </section>
    </div>
  );
}

function Facts({ facts }: { facts: HostFacts }) {
  const component = (c: { present: boolean; version: string | null; path: string | null }) =>
    c.present ? `${c.version ?? "present"}${c.path ? ` (${c.path})` : ""}` : "not installed";
  const items: [string, string][] = [
    ["OS", facts.os.prettyName ?? `${facts.os.id} ${facts.os.versionId ?? ""}`],
    ["kernel", facts.kernel],
    ["architecture", `${facts.machine}${facts.arch ? ` (${facts.arch})` : ""}`],
    ["libc", `${facts.libc.kind}${facts.libc.version ? ` ${facts.libc.version}` : ""}`],
    ["init", facts.init],
    ["cgroup", facts.cgroup],
    ["swap", facts.swapActive ? "active" : "off"],
    ["containerd", component(facts.containerd)],
    ["runc", component(facts.runc)],
    ["CNI plugins", facts.cniPlugins.present ? `${facts.cniPlugins.plugins.length} in ${facts.cniPlugins.dir}` : "not installed"],
    ["kubelet", component(facts.kubelet)],
    ["gathered", formatTime(facts.gatheredAt)],
  ];
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 rounded border border-slate-200 bg-white p-3 text-sm">
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-600">{k}</dt>
          <dd className="font-mono">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function History({ history }: { history: CheckSummary[] }) {
  if (history.length === 0) return <p className="text-sm text-slate-600">No checks yet.</p>;
  return (
    <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Checks of this node, newest first</caption>
      <thead className="bg-slate-100 text-left">
        <tr>
          <th scope="col" className="p-2">When</th>
          <th scope="col" className="p-2">Result</th>
          <th scope="col" className="p-2">ok / warn / fail / unknown</th>
          <th scope="col" className="p-2">Boot</th>
          <th scope="col" className="p-2">Took</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h, i) => {
          const older = history[i + 1];
          const rebooted = h.bootId && older?.bootId && older.bootId !== h.bootId;
          return (
            <tr key={h.id} className="border-t border-slate-200" data-reach={h.reach}>
              <td className="p-2">
                <time dateTime={h.at}>{formatTime(h.at)}</time>
              </td>
              <td className="p-2">
                {h.reach === "unreachable" ? (
                  <span title={h.message ?? undefined}>
                    <StateBadge state="unreachable" /> <span className="text-xs text-slate-600">{h.errorKind}</span>
                  </span>
                ) : (
                  <StateBadge state={h.counts.fail ? "fail" : h.counts.unknown ? "unknown" : h.counts.warn ? "warn" : "ok"} />
                )}
              </td>
              <td className="p-2 font-mono">{h.reach === "reachable" ? `${h.counts.ok} / ${h.counts.warn} / ${h.counts.fail} / ${h.counts.unknown}` : "-"}</td>
              <td className="p-2 text-xs">
                {h.bootedAt ? <>booted {formatTime(h.bootedAt)}</> : "-"}
                {rebooted && <span className="ml-1 font-semibold">(rebooted since the previous check)</span>}
              </td>
              <td className="p-2 font-mono text-xs">{(h.durationMs / 1000).toFixed(2)} s</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
