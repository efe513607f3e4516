"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { runsApi } from "@/lib/api/runs";
import { describeRollout } from "@/lib/rolling";
import { useCan, useMe } from "../auth/use-me";
import { formatDuration, formatTime } from "./format";
import { PlanPanel } from "./plan-panel";
import { RolloutWaitBox } from "./rollout-wait";
import { RunLog } from "./run-log";
import { runBadgeStatus, StatusBadge, waitingLabel } from "./status-badge";
import { useRun } from "./use-runs";
import { useRunEvents } from "./use-run-events";
import { VerificationPanel } from "./verification-panel";

/** A run's full record: status, and per node its whole log, plans and verification, live while it runs. */
export function RunDetail({ runId }: { runId: string }) {
  const run = useRun(runId);
  const { view, error } = useRunEvents(runId);
  // A trainee sees only runs on their own practice node, and may cancel those (the server checks).
  const operator = useCan("operator");
  const me = useMe();
  const canCancel = operator || me.data?.user.role === "trainee";
  const cancel = useMutation({ mutationFn: () => runsApi.cancel(runId) });
  if (run.isPending) return <p className="text-slate-600">Loading run…</p>;
  if (run.error) return <p role="alert" className="text-red-700">Could not load the run: {run.error.message}</p>;
  const r = run.data.run;
  const running = view.status === "running" || (view.status === "starting" && r.status === "running");
  const status = view.status === "starting" ? r.status : view.status;
  const rolling = view.rolling ?? r.rolling;
  const waiting = running ? (view.waiting ?? (view.status === "starting" ? r.waiting : null)) : null;
  const notStarted = view.nodes.filter((n) => n.status === "skipped").length;
  const message = view.message ?? r.message;
  // A rollout that stopped says why once, in the box above the nodes it left alone.
  const stoppedRollout = rolling !== null && notStarted > 0 && !running && message !== null;
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">
          Run: {r.stepIds.join(", ")} <span className="text-base font-normal text-slate-600">({r.mode})</span>
        </h1>
        <div className="flex flex-wrap items-center gap-2 text-sm" role="status" aria-label="Run status">
          <StatusBadge
            status={runBadgeStatus({ status, mode: r.mode, nodes: view.nodes.length ? view.nodes : r.nodes })}
            label={waitingLabel(waiting)}
          />
          <span>started {formatTime(r.createdAt)}</span>
          <span>by {r.actor ?? "—"}</span>
          <span>duration {formatDuration(r.durationMs)}</span>
          {message && !stoppedRollout && <span className="text-slate-700">{message}</span>}
          {running && canCancel && (
            <button type="button" onClick={() => cancel.mutate()} className="rounded border border-red-400 px-3 py-1 text-red-800 hover:bg-red-50">
              Cancel
            </button>
          )}
        </div>
        {rolling && (
          <p className="text-sm" aria-label="Rollout">
            <span className="font-semibold">Rolling Apply:</span> {describeRollout(rolling)}
            {view.batch && running && !waiting && <span> · now batch {view.batch.n} of {view.batch.of}</span>}
          </p>
        )}
        {waiting && <RolloutWaitBox runId={r.id} wait={waiting} canContinue={operator} />}
        {stoppedRollout && (
          <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 first-letter:uppercase">
            {message}. Nothing was run on the {notStarted === 1 ? "node" : `${notStarted} nodes`} marked not started.
          </p>
        )}
        {error && <p role="alert" className="text-sm text-red-800">{error}</p>}
        <p className="text-sm">
          {r.stepIds.map((s) => (
            <Link key={s} className="mr-3 underline" href={`/wizard/${s}?nodes=${r.nodes.map((n) => n.nodeId).join(",")}&run=${r.id}`}>
              open {s} in the wizard
            </Link>
          ))}
        </p>
      </header>
      {view.nodes.map((n) => (
        <section key={n.nodeId} aria-label={`Node ${n.name}`} className="space-y-3 rounded border border-slate-200 bg-white p-4">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="font-mono text-lg font-semibold">{n.name}</h2>
            {n.batch !== null && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">batch {n.batch}</span>}
            <StatusBadge status={n.status} />
            {n.message && <span className="text-sm text-slate-800">{n.message}</span>}
          </div>
          {n.facts && (
            <p className="text-xs text-slate-600">
              {n.facts.os} · kernel {n.facts.kernel} · {n.facts.arch} · {n.facts.init} · cgroup {n.facts.cgroup}
            </p>
          )}
          {n.status !== "skipped" && <RunLog node={n} live={running} />}
          {n.status !== "skipped" && view.stepIds.map((s) => (
            <details key={s} className="rounded border border-slate-200 p-2" open={view.stepIds.length === 1}>
              <summary className="cursor-pointer text-sm font-semibold">
                {s}: plan and verification {n.steps[s]?.end && <StatusBadge status={n.steps[s].end!.status} />}
              </summary>
              <div className="mt-2 grid gap-4 xl:grid-cols-2">
                <PlanPanel nodes={[n]} stepId={s} />
                <VerificationPanel nodes={[n]} stepId={s} />
              </div>
            </details>
          ))}
        </section>
      ))}
    </div>
  );
}
