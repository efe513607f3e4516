"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { runsApi } from "@/lib/api/runs";
import type { StepSummary } from "@/lib/contracts/catalog";
import type { RunMode } from "@/lib/contracts/runs";
import { useCan, useMe } from "../auth/use-me";
import { useGroups } from "../groups/use-groups";
import { useNodes } from "../nodes/use-nodes";
import { PlanPanel } from "../runs/plan-panel";
import { RunLog } from "../runs/run-log";
import { StatusBadge } from "../runs/status-badge";
import { useRunEvents } from "../runs/use-run-events";
import { VerificationPanel } from "../runs/verification-panel";
import { SelfCheck } from "../training/self-check";
import { AnsibleExport } from "./ansible-export";
import { NodePicker } from "./node-picker";
import { StepList, type Chapter } from "./step-list";
import { useQueryUpdater } from "./use-query-updater";
import { VersionPicker } from "./version-picker";

export interface WizardStep extends StepSummary {
  /** content/<id>.md rendered on the server (trusted project content). */
  explanationHtml: string;
}

const split = (v: string | null) => (v ? v.split(",").filter(Boolean) : []);

/**
 * One wizard step: explanation, node selection, Check (plan only) and Apply, the plan, the live log
 * and the verification. The position lives in the URL: /wizard/<step>?nodes=<ids>&run=<runId>.
 */
export function Wizard({ steps, currentStepId, chapters = [] }: { steps: WizardStep[]; currentStepId: string; chapters?: Chapter[] }) {
  const params = useSearchParams();
  // Selection answers the click at once; the URL (the source of truth on load and navigation) follows.
  const nodesParam = params.get("nodes");
  const groupsParam = params.get("groups");
  const [selection, setSelection] = useState({ param: nodesParam, ids: split(nodesParam) });
  if (selection.param !== nodesParam) setSelection({ param: nodesParam, ids: split(nodesParam) });
  const [groupSelection, setGroupSelection] = useState({ param: groupsParam, ids: split(groupsParam) });
  if (groupSelection.param !== groupsParam) setGroupSelection({ param: groupsParam, ids: split(groupsParam) });
  /** Nodes ticked one by one; the groups' nodes come on top (a fleet's selection stays short in the URL). */
  const picked = selection.ids;
  const selectedGroups = groupSelection.ids;
  const runId = params.get("run");
  // The release version picked for the step's component (?version=), when the step installs one.
  const version = params.get("version");
  const step = steps.find((s) => s.id === currentStepId)!;
  const next = steps.find((s) => s.order === step.order + 1);
  // Everyone signed in may Check (it only reads and plans); Apply needs an operator, or a trainee (the
  // only nodes they see are their own practice nodes, and the server checks that again).
  const operator = useCan("operator");
  const me = useMe();
  const canApply = operator || me.data?.user.role === "trainee";
  const nodesQuery = useNodes();
  // Groups and the Ansible export are for people who see the whole inventory, not trainees.
  const viewer = useCan("viewer");
  const groupsQuery = useGroups({ enabled: viewer });
  const allNodes = useMemo(() => nodesQuery.data?.nodes ?? [], [nodesQuery.data]);
  const allGroups = useMemo(() => groupsQuery.data?.groups ?? [], [groupsQuery.data]);
  const selected = useMemo(() => {
    const ids = new Set(picked);
    for (const g of allGroups) if (selectedGroups.includes(g.id)) for (const n of g.allNodeIds) ids.add(n);
    return [...ids];
  }, [picked, allGroups, selectedGroups]);
  const selectedNodes = allNodes.filter((n) => selected.includes(n.id));
  const { view, error: streamError } = useRunEvents(runId);
  const running = runId !== null && (view.status === "running" || view.status === "starting");

  const setQuery = useQueryUpdater();
  const hrefFor = (stepId: string) => {
    const q = new URLSearchParams();
    if (picked.length) q.set("nodes", picked.join(","));
    if (selectedGroups.length) q.set("groups", selectedGroups.join(","));
    return `/wizard/${stepId}${q.size ? `?${q.toString().replace(/%2C/g, ",")}` : ""}`;
  };

  const start = useMutation({
    mutationFn: ({ mode, all }: { mode: RunMode; all?: boolean }) =>
      runsApi.start({
        stepIds: all ? steps.map((s) => s.id) : [step.id],
        nodeIds: picked,
        ...(selectedGroups.length ? { groupIds: selectedGroups } : {}),
        mode,
        ...(step.installs && version ? { versions: { [step.installs]: version } } : {}),
      }),
    onSuccess: ({ runId: id }) => setQuery({ run: id }),
  });
  const cancel = useMutation({ mutationFn: () => runsApi.cancel(runId!) });

  const checkDisabled = selected.length === 0 || running || start.isPending;
  const applyDisabled = !canApply || checkDisabled;
  const thisStepInRun = view.stepIds.includes(step.id);

  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <aside>
        <StepList steps={steps} currentStepId={step.id} nodes={selectedNodes} hrefFor={hrefFor} chapters={chapters} />
      </aside>
      <div className="min-w-0 space-y-6">
        <header className="space-y-1">
          <p className="font-mono text-xs text-slate-500">
            Step {step.order} of {steps.length}
          </p>
          <h1 className="text-2xl font-bold">{step.title}</h1>
          <p className="text-slate-700">{step.summary}</p>
          {step.order === 1 && chapters[0] && (
            <p className="text-sm">
              New to this?{" "}
              <Link className="underline" href={hrefFor(chapters[0].id)}>
                Read chapter 0, {chapters[0].title.toLowerCase()}, first
              </Link>
              .
            </p>
          )}
        </header>

        {/* Open to read before a run; folded once a run is on screen, so the controls and log stay near. */}
        <details open={!runId} className="group max-w-3xl">
          <summary className="cursor-pointer text-sm font-semibold text-slate-800 focus:outline-2 focus:outline-blue-600">
            What this step does, why, and what goes wrong without it
          </summary>
        <article
          aria-label="Explanation"
          className="mt-2 rounded border border-slate-200 bg-white p-4 text-sm leading-6 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_h2]:mt-4 [&_h2]:mb-1 [&_h2]:text-base [&_h2]:font-semibold [&_h2:first-child]:mt-0 [&_li]:my-1 [&_p]:my-2 [&_pre]:my-2 [&_pre]:overflow-auto [&_pre]:rounded [&_pre]:bg-slate-900 [&_pre]:p-2 [&_pre]:text-slate-100 [&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_table]:my-2 [&_td]:border [&_td]:border-slate-200 [&_td]:p-1 [&_th]:border [&_th]:border-slate-200 [&_th]:p-1 [&_th]:text-left [&_ul]:list-disc [&_ul]:pl-5"
          dangerouslySetInnerHTML={{ __html: step.explanationHtml }}
        />
        </details>

        {step.requires.length > 0 && (
          <div className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
            <span className="font-semibold">Needs first: </span>
            {step.requires.map((r, i) => (
              <span key={r.probeId}>
                {i > 0 && ", "}
                {r.title}
                {r.fixStepId && (
                  <>
                    {" "}
                    (<Link className="underline" href={hrefFor(r.fixStepId)}>step {steps.find((s) => s.id === r.fixStepId)?.order}: {steps.find((s) => s.id === r.fixStepId)?.title}</Link>)
                  </>
                )}
              </span>
            ))}
          </div>
        )}

        <section aria-labelledby="run-heading" className="space-y-3">
          <h2 id="run-heading" className="text-lg font-semibold">
            Run
          </h2>
          <NodePicker
            nodes={allNodes}
            groups={allGroups}
            selected={picked}
            selectedGroups={selectedGroups}
            loading={nodesQuery.isPending}
            onChange={(ids) => {
              setSelection((s) => ({ ...s, ids }));
              setQuery({ nodes: ids.join(",") || null });
            }}
            onChangeGroups={(ids) => {
              setGroupSelection((s) => ({ ...s, ids }));
              setQuery({ groups: ids.join(",") || null });
            }}
          />
          {step.installs && <VersionPicker component={step.installs} value={version} onChange={(v) => setQuery({ version: v })} />}
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              disabled={checkDisabled}
              onClick={() => start.mutate({ mode: "check" })}
              className="rounded border border-slate-400 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-100 focus:outline-2 focus:outline-blue-600 disabled:opacity-50"
            >
              Check
            </button>
            <button
              type="button"
              disabled={applyDisabled}
              onClick={() => start.mutate({ mode: "apply" })}
              className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus:outline-2 focus:outline-blue-600 disabled:opacity-50"
            >
              Apply
            </button>
            <span className="mx-1 h-6 border-l border-slate-300" aria-hidden="true" />
            <button
              type="button"
              disabled={checkDisabled}
              onClick={() => start.mutate({ mode: "check", all: true })}
              className="rounded px-2 py-2 text-sm font-medium underline hover:bg-slate-100 focus:outline-2 focus:outline-blue-600 disabled:opacity-50"
            >
              Check all steps
            </button>
            <button
              type="button"
              disabled={applyDisabled}
              onClick={() => start.mutate({ mode: "apply", all: true })}
              className="rounded px-2 py-2 text-sm font-medium underline hover:bg-slate-100 focus:outline-2 focus:outline-blue-600 disabled:opacity-50"
            >
              Apply all steps
            </button>
            {running && (
              <button
                type="button"
                onClick={() => cancel.mutate()}
                disabled={cancel.isPending}
                className="rounded border border-red-400 bg-white px-4 py-2 text-sm font-semibold text-red-800 hover:bg-red-50 focus:outline-2 focus:outline-blue-600"
              >
                Cancel
              </button>
            )}
            {!canApply && <span className="text-sm text-slate-600">You can Check; applying changes needs the operator role.</span>}
            {canApply && !operator && <span className="text-sm text-slate-600">You can Apply on your practice node.</span>}
            {selected.length === 0 && <span className="text-sm text-slate-600">Select at least one node.</span>}
          </div>
          {start.error && (
            <p role="alert" className="text-sm text-red-800">
              Could not start: {start.error.message}
            </p>
          )}
          {cancel.error && (
            <p role="alert" className="text-sm text-red-800">
              Could not cancel: {cancel.error.message}
            </p>
          )}
          {streamError && (
            <p role="alert" className="text-sm text-red-800">
              {streamError}
            </p>
          )}
          {runId && (
            <div role="status" aria-label="Run status" data-run-id={runId} data-state={view.status} className="space-y-1 rounded border border-slate-200 bg-white p-3 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-semibold">{view.mode === "check" ? "Check" : view.mode === "apply" ? "Apply" : "Run"}</span>
                <StatusBadge status={view.status} />
                <Link className="text-xs underline" href={`/runs/${runId}`}>
                  run details
                </Link>
                {view.message && <span className="text-slate-700">{view.message}</span>}
              </div>
              <ul className="space-y-1">
                {view.nodes.map((n) => {
                  const end = n.steps[step.id]?.end;
                  return (
                    <li key={n.nodeId} className="flex flex-wrap items-center gap-2">
                      <span className="font-mono">{n.name}</span>
                      <StatusBadge status={n.status} />
                      {n.phase && <span className="text-xs text-slate-600">{n.phase}…</span>}
                      {n.message && <span className="text-slate-800">{n.message}</span>}
                      {end?.fixStepId && (
                        <Link className="underline" href={hrefFor(end.fixStepId)}>
                          Go to step {steps.find((s) => s.id === end.fixStepId)?.order}: {steps.find((s) => s.id === end.fixStepId)?.title}
                        </Link>
                      )}
                    </li>
                  );
                })}
              </ul>
            </div>
          )}
        </section>

        {viewer && <AnsibleExport steps={steps} currentStep={step} version={version} nodeIds={selected} />}

        {runId && thisStepInRun && (
          <>
            <section aria-labelledby="plan-heading" className="space-y-2">
              <h2 id="plan-heading" className="text-lg font-semibold">
                Plan
              </h2>
              <PlanPanel nodes={view.nodes} stepId={step.id} />
            </section>
            <section aria-labelledby="log-heading" className="space-y-2">
              <h2 id="log-heading" className="text-lg font-semibold">
                Live log
              </h2>
              {view.nodes.map((n) => (
                <div key={n.nodeId} className="space-y-1">
                  <h3 className="font-mono text-sm font-semibold">{n.name}</h3>
                  <RunLog node={n} stepId={step.id} live={running} />
                </div>
              ))}
            </section>
            <section aria-labelledby="verify-heading" className="space-y-2">
              <h2 id="verify-heading" className="text-lg font-semibold">
                Verification
              </h2>
              <VerificationPanel nodes={view.nodes} stepId={step.id} />
            </section>
          </>
        )}

        <SelfCheck checkId={step.id} />

        {next && (
          <div className="border-t border-slate-200 pt-4">
            <Link href={hrefFor(next.id)} className="font-semibold underline focus:outline-2 focus:outline-blue-600">
              Next: step {next.order}, {next.title} →
            </Link>
          </div>
        )}
      </div>
    </div>
  );
}
