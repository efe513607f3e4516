"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { runsApi } from "@/lib/api/runs";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { useCan, useMe } from "../auth/use-me";
import { CopyButton } from "../runs/copy-button";
import { StatusBadge } from "../runs/status-badge";
import { useRunEvents } from "../runs/use-run-events";
import { VerificationPanel } from "../runs/verification-panel";
import { TerminalView } from "../terminal/terminal-view";
import { useQueryUpdater } from "./use-query-updater";
import type { WizardStep } from "./wizard";

/**
 * "Do it yourself": the step's commands as a person types them (the plan's copyable script, from a
 * Check on the node: what Apply would run), a terminal on a practice node beside them, and "Check my
 * work", which runs the step's verification (a Check run) and shows each verdict with its raw output.
 * URL: ?mode=hands-on&node=<id>&plan=<runId>&check=<runId>.
 */
export function HandsOn({ step, nodes }: { step: WizardStep; nodes: NodeSummary[] }) {
  const params = useSearchParams();
  const setQuery = useQueryUpdater();
  // The access rule's UI half (server/terminals/access.ts decides): practice nodes only; operators and
  // up, or a trainee (whose node list holds only the node assigned to them).
  const me = useMe();
  const allowed = useCan("operator") || me.data?.user.role === "trainee";
  const practice = nodes.filter((n) => n.practice);
  const nodeId = params.get("node") ?? practice[0]?.id ?? null;
  const node = practice.find((n) => n.id === nodeId) ?? null;
  const planRun = params.get("plan");
  const checkRun = params.get("check");
  const plan = useRunEvents(planRun);
  const check = useRunEvents(checkRun);

  const start = useMutation({
    mutationFn: (nodeIdToCheck: string) => runsApi.start({ stepIds: [step.id], nodeIds: [nodeIdToCheck], mode: "check" }),
  });
  const showCommands = () => node && start.mutate(node.id, { onSuccess: ({ runId }) => setQuery({ plan: runId }) });
  const checkWork = () => node && start.mutate(node.id, { onSuccess: ({ runId }) => setQuery({ check: runId }) });

  if (!allowed) return <p className="text-sm text-slate-700">A terminal on a practice node needs the operator role, or a practice node assigned to you.</p>;
  if (practice.length === 0) return <p className="text-sm text-slate-700">No practice node is registered: hands-on mode works only on practice nodes (never on other hosts).</p>;

  const planView = plan.view.nodes.find((n) => n.nodeId === node?.id)?.steps[step.id]?.plan ?? null;
  const scripts = planView?.actions.map((a) => a.script) ?? [];
  const checked = check.view.nodes.find((n) => n.nodeId === node?.id)?.steps[step.id];
  const verdict = !checked?.end ? null : checked.verify.length > 0 && checked.verify.every((p) => p.status === "ok") && checked.requires.every((p) => p.status === "ok") ? "pass" : "fail";
  const checking = checkRun !== null && (check.view.status === "running" || check.view.status === "starting");

  return (
    <section aria-labelledby="hands-on-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="hands-on-heading" className="text-lg font-semibold">
          Do it yourself
        </h2>
        <Link href="/terminals" className="text-sm underline">
          Terminal sessions and replays
        </Link>
      </div>
      <label className="flex items-center gap-2 text-sm">
        Practice node
        <select
          value={node?.id ?? ""}
          onChange={(e) => setQuery({ node: e.target.value, plan: null, check: null })}
          className="rounded border border-slate-400 bg-white px-2 py-1 font-mono"
        >
          {practice.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name}
            </option>
          ))}
        </select>
      </label>
      {!node && nodeId && (
        <p role="alert" className="text-sm text-red-800">
          {nodes.find((n) => n.id === nodeId)?.name ?? "That node"} is not a practice node: terminals open only to practice nodes. Pick one above.
        </p>
      )}
      {node && (
        <div className="grid gap-4 xl:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
          <div aria-label="Commands to type" role="region" className="space-y-2 text-sm">
            <h3 className="font-semibold">Commands to type</h3>
            {!planRun && (
              <>
                <p className="text-slate-700">nodeprep can look at {node.name} and list what this step would change there, as commands you type yourself.</p>
                <button type="button" onClick={showCommands} disabled={start.isPending} className="rounded border border-slate-400 bg-white px-3 py-1 font-semibold hover:bg-slate-100 focus:outline-2 focus:outline-blue-600 disabled:opacity-50">
                  Show the commands
                </button>
              </>
            )}
            {planRun && !planView && <p className="text-slate-600">Looking at {node.name}…</p>}
            {planView && scripts.length === 0 && <p className="text-green-800">Nothing to type: {node.name} already passes this step. Reset the node to practise again.</p>}
            {scripts.length > 0 && (
              <>
                <ol className="space-y-2">
                  {scripts.map((s, i) => (
                    <li key={i}>
                      <pre className="overflow-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{s}</pre>
                    </li>
                  ))}
                </ol>
                <CopyButton text={scripts.join("\n")} label="Copy all" />
              </>
            )}
            {planView?.notes.map((n) => (
              <p key={n} className="text-xs text-slate-700">
                Note: {n}
              </p>
            ))}
          </div>
          <TerminalView nodeId={node.id} nodeName={node.name} />
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={checkWork}
          disabled={!node || start.isPending || checking}
          className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus:outline-2 focus:outline-blue-600 disabled:opacity-50"
        >
          Check my work
        </button>
        {checkRun && (
          <span role="status" aria-label="Check status" data-state={check.view.status} className="flex items-center gap-2 text-sm">
            {/* The verdict on the work, not whether the check itself ran to its end. */}
            <StatusBadge status={verdict === "pass" ? "ok" : verdict === "fail" ? "fail" : check.view.status} />
            {verdict === "pass" ? "every check passes" : verdict === "fail" ? "not yet: see what failed below" : null}
          </span>
        )}
      </div>
      {start.error && (
        <p role="alert" className="text-sm text-red-800">
          Could not start: {start.error.message}
        </p>
      )}
      {checkRun && (
        <section aria-labelledby="my-work-heading" className="space-y-2">
          <h3 id="my-work-heading" className="font-semibold">
            Your work, checked
          </h3>
          <VerificationPanel nodes={check.view.nodes} stepId={step.id} />
        </section>
      )}
    </section>
  );
}
