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
import { useRunEvents } from "../runs/use-run-events";
import { VerificationPanel } from "../runs/verification-panel";
import { SelfCheck } from "../training/self-check";
import { AnsibleExport } from "./ansible-export";
import { ConfirmApplyAll } from "./confirm-apply-all";
import { Explanation } from "./explanation";
import { NeedsFirst } from "./needs-first";
import { HandsOn } from "./hands-on";
import { NodePicker } from "./node-picker";
import { DEFAULT_ROLLING, parseRollingChoice, RollingControl } from "./rolling-control";
import { RunStatus } from "./run-status";
import { StepList, type Chapter } from "./step-list";
import { useProgress } from "./use-progress";
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
  // "Do it yourself": a terminal on a practice node instead of Apply.
  const handsOn = params.get("mode") === "hands-on";
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
  // Rolling Apply (batches, failure threshold): only offered, and only sent, for more than one node.
  const [rollingChoice, setRollingChoice] = useState(DEFAULT_ROLLING);
  const rollingParsed = parseRollingChoice(rollingChoice);
  const rolling = rollingChoice.on && selected.length > 1 ? rollingParsed.rolling : null;
  const rollingInvalid = rollingChoice.on && selected.length > 1 && rollingParsed.error !== null;
  const running = runId !== null && (view.status === "running" || view.status === "starting");
  const progress = useProgress(selected);

  const setQuery = useQueryUpdater();
  const hrefFor = (stepId: string, extra: Record<string, string> = {}) => {
    const q = new URLSearchParams();
    if (picked.length) q.set("nodes", picked.join(","));
    if (selectedGroups.length) q.set("groups", selectedGroups.join(","));
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `/wizard/${stepId}${q.size ? `?${q.toString().replace(/%2C/g, ",")}` : ""}`;
  };

  // "Apply all steps" on several nodes runs a Check of every step first; this is that Check's run id
  // until the operator confirms (or not) with the number of changes it found.
  const [confirmRunId, setConfirmRunId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: ({ mode, all }: { mode: RunMode; all?: boolean; confirm?: boolean }) =>
      runsApi.start({
        stepIds: all ? steps.map((s) => s.id) : [step.id],
        nodeIds: picked,
        ...(selectedGroups.length ? { groupIds: selectedGroups } : {}),
        mode,
        ...(step.installs && version ? { versions: { [step.installs]: version } } : {}),
        ...(mode === "apply" && rolling ? { rolling } : {}),
      }),
    onSuccess: ({ runId: id }, { confirm }) => {
      setConfirmRunId(confirm ? id : null);
      setQuery({ run: id });
    },
  });
  const applyAll = () => (selected.length > 1 ? start.mutate({ mode: "check", all: true, confirm: true }) : start.mutate({ mode: "apply", all: true }));
  // A Check on a fresh node ends "failed": it stops at the first step that needs an earlier one
  // applied (blocked). The confirmation says where each node stopped.
  const confirming = confirmRunId !== null && confirmRunId === runId && view.mode === "check" && (view.status === "succeeded" || view.status === "failed");
  const cancel = useMutation({ mutationFn: () => runsApi.cancel(runId!) });

  const checkDisabled = selected.length === 0 || running || start.isPending;
  const applyDisabled = !canApply || checkDisabled || rollingInvalid;
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

        {/* Open to read when the page opens without a run, then as the user leaves it (per step). */}
        <Explanation key={step.id} html={step.explanationHtml} initiallyOpen={!runId && !handsOn} />

        <NeedsFirst step={step} steps={steps} nodeIds={selected} progress={progress.data?.progress} hrefFor={hrefFor} />

        <nav aria-label="Mode" className="flex gap-1 text-sm">
          {[
            { on: !handsOn, label: "Let nodeprep do it", mode: null },
            { on: handsOn, label: "Do it yourself", mode: "hands-on" },
          ].map((m) => (
            <button
              key={m.label}
              type="button"
              aria-pressed={m.on}
              onClick={() => setQuery({ mode: m.mode, plan: null, check: null })}
              className={`rounded border px-3 py-1 font-semibold focus:outline-2 focus:outline-blue-600 ${m.on ? "border-slate-900 bg-slate-900 text-white" : "border-slate-400 bg-white hover:bg-slate-100"}`}
            >
              {m.label}
            </button>
          ))}
        </nav>

        {handsOn && <HandsOn step={step} nodes={allNodes} />}

        {!handsOn && (<>
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
          {selected.length > 1 && <RollingControl value={rollingChoice} onChange={setRollingChoice} nodeCount={selected.length} />}
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
              onClick={applyAll}
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
          {runId && <RunStatus runId={runId} view={view} step={step} steps={steps} hrefFor={hrefFor} />}
          {confirming && (
            <ConfirmApplyAll
              view={view}
              stepCount={steps.length}
              onApply={() => start.mutate({ mode: "apply", all: true })}
              onCancel={() => setConfirmRunId(null)}
            />
          )}
        </section>

        {viewer && <AnsibleExport steps={steps} currentStep={step} version={version} nodeIds={selected} rolling={rolling} />}

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

        </>)}

        <SelfCheck checkId={step.id} />

        <div className="border-t border-slate-200 pt-4">
          {next ? (
            <Link href={hrefFor(next.id)} className="font-semibold underline focus:outline-2 focus:outline-blue-600">
              Next: step {next.order}, {next.title} →
            </Link>
          ) : (
            <Link href={`/wizard/summary${selected.length ? `?nodes=${selected.join(",")}` : ""}`} className="font-semibold underline focus:outline-2 focus:outline-blue-600">
              Finish: where your nodes stand, and what comes next →
            </Link>
          )}
        </div>
      </div>
    </div>
  );
}
