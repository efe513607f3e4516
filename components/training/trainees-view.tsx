"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { practiceApi } from "@/lib/api/practice";
import { trainingApi } from "@/lib/api/training";
import type { ProgressTable as Table, ScenarioProgress, TraineeAnswer, TraineeView } from "@/lib/contracts/training";
import { queryKeys } from "@/lib/queries";
import { formatTime } from "../health/time";
import { formatDuration } from "./format";
import { ProgressBadge } from "./training-home";
import { useProgressTable, useTraineeMutations, useTrainees } from "./use-training";

const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";

/** Trainers and admins: trainees, their practice node, and everyone's progress. */
export function TraineesView() {
  const trainees = useTrainees();
  const practice = useQuery({ queryKey: queryKeys.practice.overview(), queryFn: practiceApi.overview });
  const { assign } = useTraineeMutations();
  const nodes = practice.data?.nodes.filter((n) => n.nodeId) ?? [];
  return (
    <div className="space-y-8">
      <AddTrainee freeNodes={nodes.filter((n) => !n.trainee).map((n) => ({ id: n.nodeId!, name: n.name }))} />
      <section aria-labelledby="trainees-heading" className="space-y-2">
        <h2 id="trainees-heading" className="text-lg font-semibold">
          Trainees
        </h2>
        {assign.error && (
          <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
            {assign.error.message}
          </p>
        )}
        {trainees.error && <p role="alert" className="text-red-700">Could not load trainees: {trainees.error.message}</p>}
        {trainees.data && trainees.data.trainees.length === 0 && <p className="text-sm text-slate-600">No trainees yet.</p>}
        {trainees.data && trainees.data.trainees.length > 0 && (
          <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
            <caption className="sr-only">Trainees</caption>
            <thead className="bg-slate-100 text-left">
              <tr>
                <th scope="col" className="p-2">Trainee</th>
                <th scope="col" className="p-2">Practice node</th>
                <th scope="col" className="p-2">Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {trainees.data.trainees.map((t) => (
                <TraineeRow key={t.id} trainee={t} nodes={nodes.map((n) => ({ id: n.nodeId!, name: n.name, holder: n.trainee }))} busy={assign.isPending} onAssign={(node) => assign.mutate({ userId: t.id, node })} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ProgressSection />
    </div>
  );
}

function TraineeRow({ trainee, nodes, busy, onAssign }: { trainee: TraineeView; nodes: { id: string; name: string; holder: string | null }[]; busy: boolean; onAssign: (node: string | "auto" | null) => void }) {
  return (
    <tr className="border-t border-slate-200">
      <td className="p-2 font-medium">{trainee.name}</td>
      <td className="p-2">
        <select
          aria-label={`Practice node of ${trainee.name}`}
          className={input}
          disabled={busy}
          value={trainee.node?.id ?? ""}
          onChange={(e) => onAssign(e.target.value === "" ? null : e.target.value)}
        >
          <option value="">none</option>
          <option value="auto">a free one (or a new one)</option>
          {nodes
            .filter((n) => !n.holder || n.holder === trainee.name)
            .map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
        </select>
      </td>
      <td className="p-2 font-mono text-xs">{trainee.lastSignInAt ? formatTime(trainee.lastSignInAt) : "never"}</td>
    </tr>
  );
}

function AddTrainee({ freeNodes }: { freeNodes: { id: string; name: string }[] }) {
  const { create } = useTraineeMutations();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [node, setNode] = useState<string>("auto");
  const [done, setDone] = useState<TraineeAnswer | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name, password, node: node === "none" ? null : node },
      {
        onSuccess: (answer) => {
          setDone(answer);
          setName("");
          setPassword("");
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label="Add a trainee" className="space-y-3 rounded border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">Add a trainee</h2>
      <div className="flex flex-wrap items-end gap-3">
        <label className="space-y-1">
          <span className="block text-sm font-medium">Name</span>
          <input name="name" required maxLength={32} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} className={input} />
        </label>
        <label className="space-y-1">
          <span className="block text-sm font-medium">Password</span>
          <input name="password" type="password" required minLength={12} maxLength={256} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={input} />
        </label>
        <label className="space-y-1">
          <span className="block text-sm font-medium">Practice node</span>
          <select value={node} onChange={(e) => setNode(e.target.value)} className={input}>
            <option value="auto">a free one (or a new one)</option>
            {freeNodes.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
            <option value="none">none for now</option>
          </select>
        </label>
        <button type="submit" disabled={create.isPending} className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
          Add trainee
        </button>
      </div>
      {create.error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {create.error.message}
        </p>
      )}
      {done && !create.error && (
        <p role="status" className="text-sm text-green-800">
          Added {done.trainee.name}
          {done.trainee.node ? ` with ${done.trainee.node.name}` : done.starting ? `: ${done.starting.name} is starting for them (see Practice)` : ", no practice node yet"}.
        </p>
      )}
    </form>
  );
}

function cellText(p: ScenarioProgress): string {
  const bits = [p.status === "passed" ? `passed${p.timeMs !== null ? ` in ${formatDuration(p.timeMs)}` : ""}` : p.status.replace("-", " ")];
  if (p.attempts) bits.push(`${p.attempts} attempt${p.attempts === 1 ? "" : "s"}`, `${p.checks} check${p.checks === 1 ? "" : "s"}`);
  if (p.hintsOpened) bits.push(`${p.hintsOpened} hint${p.hintsOpened === 1 ? "" : "s"}`);
  if (p.solutionViewed) bits.push("solution viewed");
  return bits.join(", ");
}

function ProgressSection() {
  const progress = useProgressTable(true);
  return (
    <section aria-labelledby="progress-heading" className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="progress-heading" className="text-lg font-semibold">
          Progress
        </h2>
        <a className="rounded border border-slate-300 bg-white px-2 py-1 text-sm font-medium hover:bg-slate-100" href={trainingApi.exportUrl} download>
          Export CSV
        </a>
      </div>
      {progress.error && <p role="alert" className="text-red-700">Could not load progress: {progress.error.message}</p>}
      {progress.data && <ProgressGrid table={progress.data} />}
    </section>
  );
}

function ProgressGrid({ table }: { table: Table }) {
  if (table.trainees.length === 0) return <p className="text-sm text-slate-600">No trainees yet.</p>;
  return (
    <div className="space-y-4">
      <div className="overflow-x-auto">
        <table aria-label="Scenarios of trainees" className="border-collapse rounded border border-slate-200 bg-white text-xs">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="p-2">Trainee</th>
              {table.scenarios.map((s) => (
                <th key={s.id} scope="col" className="p-2 text-center" title={s.title} aria-label={`Scenario ${s.number}: ${s.title}`}>
                  {s.number}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.trainees.map((t) => (
              <tr key={t.userId} className="border-t border-slate-200 align-top">
                <TraineeHeader name={t.name} node={t.node} />
                {table.scenarios.map((s) => {
                  const p = t.scenarios[s.id];
                  const last = p.lastVerdicts ? `; last check: ${p.lastVerdicts.map((v) => `${v.title} ${v.passed ? "pass" : "fail"}`).join(", ")}` : "";
                  return (
                    <td key={s.id} className="p-2 text-center" aria-label={`${t.name}, scenario ${s.number}: ${cellText(p)}${last}`} title={`${cellText(p)}${last}`}>
                      {p.status === "not-started" ? (
                        <span className="text-slate-400">–</span>
                      ) : (
                        <>
                          <ProgressBadge progress={p} />
                          <span className="mt-0.5 block whitespace-nowrap text-slate-600">
                            {p.checks} check{p.checks === 1 ? "" : "s"}
                            {p.hintsOpened ? `, ${p.hintsOpened} hint${p.hintsOpened === 1 ? "" : "s"}` : ""}
                            {p.solutionViewed ? ", solution" : ""}
                          </span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="overflow-x-auto">
        <table aria-label="Self-checks of trainees" className="border-collapse rounded border border-slate-200 bg-white text-xs">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="p-2">Trainee</th>
              {table.selfChecks.map((c, i) => (
                <th key={c.id} scope="col" className="p-2 text-center" title={c.title} aria-label={`Self-check: ${c.title}`}>
                  {i === 0 ? "ch. 0" : `step ${i}`}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.trainees.map((t) => (
              <tr key={t.userId} className="border-t border-slate-200">
                <TraineeHeader name={t.name} node={t.node} />
                {table.selfChecks.map((c) => {
                  const r = t.selfChecks[c.id];
                  return (
                    <td key={c.id} className="p-2 text-center" aria-label={`${t.name}, ${c.title}: ${r ? `${r.correct} of ${r.total}` : "not answered"}`}>
                      {r ? (
                        <span className={r.correct === r.total ? "font-semibold text-green-800" : "font-semibold text-amber-800"}>
                          {r.correct}/{r.total}
                        </span>
                      ) : (
                        <span className="text-slate-400">–</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function TraineeHeader({ name, node }: { name: string; node: string | null }) {
  return (
    <th scope="row" className="whitespace-nowrap p-2 text-left font-medium">
      {name}
      <span className="block font-mono font-normal text-slate-500">{node ?? "no node"}</span>
    </th>
  );
}
