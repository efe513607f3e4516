"use client";
import Link from "next/link";
import { formatDuration, formatTime } from "./format";
import { runBadgeStatus, StatusBadge, waitingLabel } from "./status-badge";
import { useRuns } from "./use-runs";

export function RunsTable() {
  const { data, error, isPending } = useRuns();
  if (isPending) return <p className="text-slate-600">Loading runs…</p>;
  if (error) return <p role="alert" className="text-red-700">Could not load runs: {error.message}</p>;
  if (data.runs.length === 0) {
    return (
      <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-700">
        No runs yet. Start one from the <Link className="underline" href="/wizard">wizard</Link>.
      </p>
    );
  }
  return (
    <table className="w-full border-collapse overflow-hidden rounded border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Runs, newest first</caption>
      <thead className="bg-slate-100 text-left">
        <tr>
          <th scope="col" className="p-2">Started</th>
          <th scope="col" className="p-2">Steps</th>
          <th scope="col" className="p-2">Mode</th>
          <th scope="col" className="p-2">Nodes</th>
          <th scope="col" className="p-2">Status</th>
          <th scope="col" className="p-2">Duration</th>
          <th scope="col" className="p-2">By</th>
        </tr>
      </thead>
      <tbody>
        {data.runs.map((r) => (
          <tr key={r.id} className="border-t border-slate-200 align-top">
            <td className="p-2">
              <Link className="underline" href={`/runs/${r.id}`}>
                {formatTime(r.createdAt)}
              </Link>
            </td>
            <td className="p-2 font-mono">{r.stepIds.join(", ")}</td>
            <td className="p-2">{r.mode}</td>
            <td className="p-2">
              <ul>
                {r.nodes.map((n) => (
                  <li key={n.nodeId} className="flex items-center gap-1">
                    <span className="font-mono">{n.name}</span> <StatusBadge status={n.status} />
                  </li>
                ))}
              </ul>
            </td>
            <td className="p-2">
              {/* A rollout waiting between batches is running, but an operator must know it waits (for them). */}
              <StatusBadge status={runBadgeStatus(r)} label={waitingLabel(r.waiting)} />
            </td>
            <td className="p-2">{formatDuration(r.durationMs)}</td>
            <td className="p-2">{r.actor ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
