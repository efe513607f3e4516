"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { practiceApi } from "@/lib/api/practice";
import type { AttemptView, ScenarioDetail } from "@/lib/contracts/training";
import { queryKeys } from "@/lib/queries";
import { useCan, useMe } from "../auth/use-me";
import { OpProgress } from "../practice/op-progress";
import { StatusBadge } from "../runs/status-badge";
import { TrustedMarkdown } from "../ui/trusted-markdown";
import { GradePanel } from "./grade-panel";
import { formatDuration } from "./format";
import { opRunning, useAttempt, useAttemptActions, useScenario } from "./use-training";

const primary = "rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus:outline-2 focus:outline-blue-600 disabled:opacity-50";
const secondary = "rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-semibold hover:bg-slate-100 focus:outline-2 focus:outline-blue-600 disabled:opacity-50";

/**
 * One scenario: the situation and objectives on the left; on the right the node it runs
 * on, Start and "Check my work", the grader's verdicts. The right column is the workspace: the
 * hands-on terminal belongs there, beside the objectives.
 */
export function ScenarioView({ scenarioId }: { scenarioId: string }) {
  const detail = useScenario(scenarioId);
  const [started, setStarted] = useState<string | null>(null);
  const attemptId = started ?? detail.data?.attempt?.id ?? null;
  const attempt = useAttempt(attemptId);
  const actions = useAttemptActions(scenarioId, setStarted);
  if (detail.isPending) return <p className="text-slate-600">Loading the scenario…</p>;
  if (detail.error) return <p role="alert" className="text-red-700">Could not load the scenario: {detail.error.message}</p>;
  const { scenario } = detail.data;
  const current = attempt.data ?? (started ? null : detail.data.attempt);
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="min-w-0 space-y-5">
        <header className="space-y-1">
          <p className="font-mono text-xs text-slate-500">
            <Link className="underline" href="/training">
              Training
            </Link>{" "}
            · scenario {scenario.number}
          </p>
          <h1 className="text-2xl font-bold">{scenario.title}</h1>
          <p className="text-slate-700">{scenario.summary}</p>
        </header>
        <TrustedMarkdown framed={false} html={scenario.introHtml} label="The situation" className="rounded border border-slate-200 bg-white p-4" />
        <section aria-labelledby="objectives-heading" className="space-y-2">
          <h2 id="objectives-heading" className="text-lg font-semibold">
            Objectives
          </h2>
          <p className="text-sm text-slate-700">The grader runs these checks on your node. The grade is the node&apos;s state, however you got there.</p>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {scenario.objectives.map((o) => (
              <li key={o.probeId}>
                <span className="font-medium">{o.title}</span>
                {o.afterReboot && <span className="ml-1 text-slate-600">(also after a reboot)</span>}
              </li>
            ))}
          </ul>
        </section>
        {current && <HelpSection attempt={current} onHint={() => actions.hint.mutate(current.id)} onSolution={() => actions.solution.mutate(current.id)} busy={actions.hint.isPending || actions.solution.isPending} />}
      </div>
      <aside aria-label="Workspace" className="min-w-0 space-y-4">
        <Workspace detail={detail.data} attempt={current} onStart={(nodeId) => actions.start.mutate(nodeId)} onCheck={() => current && actions.check.mutate(current.id)} starting={actions.start.isPending} checking={actions.check.isPending} />
        {[actions.start.error, actions.check.error, actions.hint.error, actions.solution.error].filter(Boolean).map((e) => (
          <p key={e!.message} role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
            {e!.message}
          </p>
        ))}
      </aside>
    </div>
  );
}

function Workspace({
  detail,
  attempt,
  onStart,
  onCheck,
  starting,
  checking,
}: {
  detail: ScenarioDetail;
  attempt: AttemptView | null;
  onStart: (nodeId?: string) => void;
  onCheck: () => void;
  starting: boolean;
  checking: boolean;
}) {
  const { data: me } = useMe();
  const trainer = useCan("trainer");
  const practice = useQuery({ queryKey: queryKeys.practice.overview(), queryFn: practiceApi.overview, enabled: trainer });
  const [picked, setPicked] = useState("");
  const running = opRunning(attempt);
  const node = detail.node ?? (attempt ? { id: attempt.nodeId, name: attempt.nodeName } : null);
  const canCheck = attempt !== null && (attempt.state === "ready" || attempt.state === "passed") && !running;
  const isTrainee = me?.user.role === "trainee";
  return (
    <section aria-labelledby="workspace-heading" className="space-y-3 rounded border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="workspace-heading" className="text-lg font-semibold">
          Your practice node
        </h2>
        {attempt && <AttemptBadge attempt={attempt} />}
      </div>
      {node ? (
        <p className="text-sm">
          <span className="font-mono font-semibold">{node.name}</span>
          {" · "}
          <Link className="underline" href={`/health/${node.id}`}>
            its health
          </Link>
          {" · "}
          <Link className="underline" href={`/wizard/kernel-modules?nodes=${node.id}`}>
            the wizard on it
          </Link>
        </p>
      ) : isTrainee ? (
        <p role="alert" className="text-sm text-amber-900">No practice node is assigned to you yet: ask your trainer.</p>
      ) : null}
      {trainer && (
        <label className="block space-y-1 text-sm">
          <span className="font-medium">Practice node to set it up on</span>
          <select value={picked} onChange={(e) => setPicked(e.target.value)} className="block rounded border border-slate-300 px-2 py-1.5">
            <option value="">choose…</option>
            {practice.data?.nodes
              .filter((n) => n.nodeId)
              .map((n) => (
                <option key={n.number} value={n.nodeId!}>
                  {n.name}
                  {n.trainee ? ` (${n.trainee}'s)` : ""}
                </option>
              ))}
          </select>
        </label>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={attempt ? secondary : primary}
          disabled={starting || running || (trainer ? !picked : !detail.node)}
          onClick={() => onStart(trainer ? picked : undefined)}
        >
          {attempt ? "Start again (resets the node)" : "Start the scenario"}
        </button>
        <button type="button" className={primary} disabled={!canCheck || checking} onClick={onCheck}>
          Check my work
        </button>
      </div>
      {attempt?.op && (
        <OpProgress
          title={attempt.op.kind === "start" ? "Setting up the scenario" : "Checking your work"}
          status={attempt.op.status}
          events={attempt.op.events}
          message={attempt.op.message}
          startedAt={attempt.op.startedAt}
        />
      )}
      {attempt?.state === "passed" && attempt.readyAt && attempt.passedAt && (
        <p role="status" aria-label="Result" className="rounded bg-green-50 px-3 py-2 text-sm font-semibold text-green-900">
          Passed in {formatDuration(Date.parse(attempt.passedAt) - Date.parse(attempt.readyAt))}, after {attempt.checks} check{attempt.checks === 1 ? "" : "s"}
          {attempt.hintsOpened ? `, ${attempt.hintsOpened} hint${attempt.hintsOpened === 1 ? "" : "s"}` : ""}
          {attempt.solutionViewed ? ", with the solution" : ""}.
        </p>
      )}
      {attempt?.lastCheck && <GradePanel grade={attempt.lastCheck} title={attempt.checks === 0 ? "First check, right after the fault" : "Last check"} />}
      {/* The "Do it yourself" terminal on this node goes here, beside the objectives it is used to meet. */}
    </section>
  );
}

function AttemptBadge({ attempt }: { attempt: AttemptView }) {
  switch (attempt.state) {
    case "preparing":
      return <StatusBadge status="running" label="being set up" />;
    case "ready":
      return <StatusBadge status="pending-changes" label="in progress" />;
    case "passed":
      return <StatusBadge status="ok" label="passed" />;
    case "failed-to-start":
      return <StatusBadge status="failed" label="could not start" />;
    case "abandoned":
      return <StatusBadge status="cancelled" label="abandoned (the node was reset)" />;
  }
}

function HelpSection({ attempt, onHint, onSolution, busy }: { attempt: AttemptView; onHint: () => void; onSolution: () => void; busy: boolean }) {
  const left = attempt.hintCount - attempt.hintsOpened;
  return (
    <section aria-labelledby="help-heading" className="space-y-3">
      <h2 id="help-heading" className="text-lg font-semibold">
        Hints and solution
      </h2>
      {attempt.hints.length > 0 && (
        <ol className="space-y-2" aria-label="Hints">
          {attempt.hints.map((html, i) => (
            <li key={i} className="rounded border border-amber-200 bg-amber-50 p-3">
              <TrustedMarkdown framed={false} html={html} label={`Hint ${i + 1}`} />
            </li>
          ))}
        </ol>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={secondary} disabled={left === 0 || busy} onClick={onHint}>
          {left === 0 ? "No more hints" : `Show a hint (${attempt.hintsOpened + 1} of ${attempt.hintCount})`}
        </button>
        {!attempt.solution && (
          <button type="button" className={secondary} disabled={busy} onClick={onSolution}>
            Show the solution
          </button>
        )}
        <span className="text-xs text-slate-600">Hints and the solution count in your progress.</span>
      </div>
      {attempt.solution && (
        <div className="space-y-2 rounded border border-slate-300 bg-white p-4" aria-label="Solution">
          <TrustedMarkdown framed={false} html={attempt.solution.html} label="Solution" />
          {attempt.solution.steps.length > 0 && (
            <p className="text-sm">
              Wizard:{" "}
              {attempt.solution.steps.map((s) => (
                <Link key={s.id} className="mr-2 underline" href={`/wizard/${s.id}?nodes=${attempt.nodeId}`}>
                  {s.title} (Apply)
                </Link>
              ))}
            </p>
          )}
          {attempt.solution.commands.length > 0 && (
            <pre aria-label="Solution commands (as root)" className="overflow-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">
              {attempt.solution.commands.map((c) => `# ${c}`).join("\n")}
            </pre>
          )}
        </div>
      )}
    </section>
  );
}
