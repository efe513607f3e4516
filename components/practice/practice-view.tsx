"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { practiceApi } from "@/lib/api/practice";
import type { PracticeNodeView, PracticeOpKind, PracticeState } from "@/lib/contracts/practice";
import { queryKeys } from "@/lib/queries";
import { formatTime } from "../health/time";
import { CopyButton } from "../runs/copy-button";
import { OpProgress } from "./op-progress";

const STATE: Record<PracticeState, { label: string; icon: string; cls: string }> = {
  running: { label: "running", icon: "●", cls: "bg-green-100 text-green-900" },
  stopped: { label: "stopped", icon: "○", cls: "bg-slate-100 text-slate-700" },
  starting: { label: "starting", icon: "◐", cls: "bg-blue-100 text-blue-900" },
  stopping: { label: "stopping", icon: "◐", cls: "bg-blue-100 text-blue-900" },
  resetting: { label: "resetting", icon: "◐", cls: "bg-blue-100 text-blue-900" },
};

const busy = (n: PracticeNodeView) => n.op?.status === "running";
const button = "rounded border border-slate-300 bg-white px-2 py-1 text-xs font-semibold hover:bg-slate-100 focus:outline-2 focus:outline-blue-600 disabled:opacity-40";

/**
 * Practice nodes: state, memory, SSH address, start/stop/reset. Nothing here waits for the
 * lab: an action answers at once and the operation's phases appear as the page polls (every second
 * while something runs).
 */
export function PracticeView() {
  const client = useQueryClient();
  const overview = useQuery({
    queryKey: queryKeys.practice.overview(),
    queryFn: practiceApi.overview,
    refetchInterval: (q) => (q.state.data?.nodes.some(busy) ? 1000 : 10_000),
  });
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.practice.all });
  const act = useMutation({ mutationFn: ({ nodeId, action }: { nodeId: string; action: PracticeOpKind }) => practiceApi.act(nodeId, action), onSettled: refresh });
  const add = useMutation({ mutationFn: practiceApi.add, onSettled: refresh });
  const failure = act.error ?? add.error;

  if (overview.isPending) return <p className="text-slate-600">Loading practice nodes…</p>;
  if (overview.error) return <p role="alert" className="text-red-700">Could not load practice nodes: {overview.error.message}</p>;
  const { nodes, limits, imageReady, canAdd } = overview.data;
  return (
    <div className="space-y-4">
      <section aria-label="Limits" className="flex flex-wrap items-center gap-x-6 gap-y-2 rounded border border-slate-200 bg-white p-3 text-sm">
        <span data-testid="practice-limit">
          <strong>{limits.running}</strong> of at most <strong>{limits.maxRunning}</strong> running
        </span>
        <span className="text-slate-600">
          {limits.overridden
            ? "limit set by NODEPREP_PRACTICE_MAX_RUNNING"
            : `from free memory: ${(limits.availableMiB / 1024).toFixed(1)} GiB available, about ${(limits.perNodeMiB / 1024).toFixed(1)} GiB per node`}
        </span>
        <span className="text-slate-600">{limits.idleStopMinutes > 0 ? `idle nodes stop after ${limits.idleStopMinutes} min` : "idle nodes are never stopped"}</span>
        {canAdd && (
          <button type="button" className="ml-auto rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50" disabled={add.isPending || !imageReady} onClick={() => add.mutate()}>
            Add a practice node
          </button>
        )}
      </section>
      {!imageReady && (
        <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
          The practice-node image is not built on this machine yet: run <code className="font-mono">npm run lab -- build</code> there (a few minutes).
        </p>
      )}
      {failure && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {failure.message}
        </p>
      )}
      {nodes.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          {canAdd ? "No practice nodes yet: add one." : "No practice node is assigned to you yet: ask your trainer."}
        </p>
      ) : (
        <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
          <caption className="sr-only">Practice nodes</caption>
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="p-2">Node</th>
              <th scope="col" className="p-2">State</th>
              <th scope="col" className="p-2">Memory</th>
              <th scope="col" className="p-2">SSH</th>
              <th scope="col" className="p-2">Trainee</th>
              <th scope="col" className="p-2">Last used</th>
              <th scope="col" className="p-2">Actions</th>
            </tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <NodeRow key={n.number} node={n} pending={act.isPending} onAct={(action) => n.nodeId && act.mutate({ nodeId: n.nodeId, action })} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function NodeRow({ node, pending, onAct }: { node: PracticeNodeView; pending: boolean; onAct: (action: PracticeOpKind) => void }) {
  const look = STATE[node.state];
  const actions: { kind: PracticeOpKind; label: string; allowed: boolean }[] = [
    { kind: "start", label: "Start", allowed: node.can.start },
    { kind: "reset", label: "Reset", allowed: node.can.reset },
    { kind: "stop", label: "Stop", allowed: node.can.stop },
  ];
  return (
    <tr className="border-t border-slate-200 align-top" data-node={node.name}>
      <td className="whitespace-nowrap p-2 font-mono font-medium">{node.name}</td>
      <td className="p-2">
        <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${look.cls}`} data-testid="practice-state">
          <span aria-hidden="true">{look.icon}</span>
          {look.label}
        </span>
      </td>
      <td className="p-2 text-xs">
        {node.memoryMiB} MiB RAM
        {node.residentMiB !== null && <span className="block text-slate-600">QEMU holds {(node.residentMiB / 1024).toFixed(1)} GiB</span>}
      </td>
      <td className="p-2">
        {node.ssh ? (
          <span className="flex items-center gap-1">
            <code className="whitespace-nowrap font-mono text-xs">{node.ssh}</code>
            <CopyButton text={`ssh ${node.ssh}`} />
          </span>
        ) : (
          <span className="text-slate-500">–</span>
        )}
      </td>
      <td className="p-2">{node.trainee ?? <span className="text-slate-500">free</span>}</td>
      <td className="p-2 text-xs">
        {node.lastActiveAt ? formatTime(node.lastActiveAt) : "–"}
        {node.idleStopAt && <span className="block text-slate-600">stops when idle at {formatTime(node.idleStopAt)}</span>}
      </td>
      <td className="space-y-2 p-2">
        <div className="flex gap-1">
          {actions
            .filter((a) => a.allowed)
            .map((a) => (
              <button key={a.kind} type="button" className={button} disabled={pending} aria-label={`${a.label} ${node.name}`} onClick={() => onAct(a.kind)}>
                {a.label}
              </button>
            ))}
        </div>
        {node.op && (
          <OpProgress
            title={`${node.op.kind[0].toUpperCase()}${node.op.kind.slice(1)} of ${node.name}${node.op.reason ? ` (${node.op.reason})` : ""}`}
            status={node.op.status}
            events={node.op.status === "running" ? node.op.events : node.op.events.slice(-3)}
            message={node.op.message}
            startedAt={node.op.startedAt}
          />
        )}
      </td>
    </tr>
  );
}
