import "server-only";
import type { HostFacts } from "@/lib/contracts/facts";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { NewRunEvent, NodeRunStatus, Phase } from "@/lib/contracts/runs";
import { execSpec, renderAction } from "../catalog/actions";
import { observation, observationLabel } from "../catalog/index";
import type { Action, Observed, Step } from "../catalog/types";
import type { CommandEvents, TrackedHost } from "../hosts";
import { SshError } from "../ssh/types";
import type { EngineDeps, StartRunInput, Timeouts } from "./engine";

// One step on one node: requires -> plan -> apply (only what the plan says) -> verify. Every command
// goes through the node's tracked host, which audits, streams and redacts it.

/** What a step needs from the node's run (run-node.ts). */
export interface NodeRunState {
  deps: EngineDeps;
  timeouts: Timeouts;
  node: { id: string; name: string };
  input: StartRunInput;
  signal: AbortSignal;
  events: CommandEvents;
  ev(event: NewRunEvent): void;
  clean(text: string): string;
  setPhase(phase: Phase, stepId: string | null): void;
  phase(): Phase;
  /** Throws when the run was cancelled. */
  checkCancel(): void;
}

export interface StepOutcome {
  status: NodeRunStatus;
  message: string;
  verified: boolean;
  fixStepId: string | null;
}

const LAST_LINES = 6;

/** Every string inside a value, redacted (plans carry argv, file content and diffs). */
export function redactDeep<T>(value: T, clean: (s: string) => string): T {
  if (typeof value === "string") return clean(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, clean)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, clean)])) as T;
  }
  return value;
}

/** Probes and files in one round trip, read-only, as root (audited as one script). */
async function observe(s: NodeRunState, host: TrackedHost, probeIds: string[], files: string[]) {
  const obs = observation(probeIds, files, { lookup: s.deps.catalog.getProbe });
  const result = await host.exec(obs.script, {
    asRoot: true,
    signal: s.signal,
    timeoutMs: s.timeouts.probesMs,
    audit: { script: observationLabel(probeIds, files), body: obs.body, probes: probeIds, quiet: true },
  });
  const parsed = obs.finish(result.stdout);
  return { probes: parsed.probes.map((p) => redactDeep(p, s.clean)), files: parsed.files };
}

export async function runStep(s: NodeRunState, host: TrackedHost, step: Step, facts: HostFacts): Promise<StepOutcome> {
  const { node, input, ev } = s;
  s.setPhase("requires", step.id);
  const seen = await observe(s, host, [...step.requires, ...step.observe.probes], step.observe.files);
  const byId = Object.fromEntries(seen.probes.map((p) => [p.probeId, p])) as Record<string, ProbeResult>;
  const unmet = step.requires.map((id) => byId[id]).filter((p) => p.status !== "ok");
  for (const id of step.requires) ev({ type: "probe", nodeId: node.id, stepId: step.id, phase: "requires", result: byId[id] });
  if (unmet.length > 0) {
    const fix = unmet.find((p) => p.fixStepId)?.fixStepId ?? null;
    const fixTitle = fix ? (s.deps.catalog.steps.find((x) => x.id === fix)?.title ?? fix) : null;
    return {
      status: "blocked",
      message: `needs ${unmet.map((p) => `${p.title} (${p.observed}: ${p.detail})`).join("; ")}${fixTitle ? `. Run the step "${fixTitle}" first` : ""}`,
      verified: false,
      fixStepId: fix,
    };
  }

  s.checkCancel();
  s.setPhase("plan", step.id);
  const observed: Observed = { files: seen.files, probes: byId };
  const plan = step.plan(facts, observed, { versions: input.versions });
  ev({
    type: "plan",
    nodeId: node.id,
    stepId: step.id,
    actions: plan.actions.map((a) => redactDeep(renderAction(a, seen.files, { delivery: input.delivery }), s.clean)),
    notes: plan.notes.map(s.clean),
  });

  if (input.mode === "apply" && plan.actions.length > 0) {
    s.setPhase("apply", step.id);
    for (const action of plan.actions) {
      s.checkCancel();
      const failure = await applyAction(s, host, action);
      if (failure) return { status: "failed", message: failure, verified: false, fixStepId: null };
    }
  }

  s.checkCancel();
  s.setPhase("verify", step.id);
  const after = await observe(s, host, step.verify, []);
  for (const result of after.probes) ev({ type: "probe", nodeId: node.id, stepId: step.id, phase: "verify", result });
  const failed = after.probes.filter((p) => p.status !== "ok");
  const verified = failed.length === 0;
  const n = plan.actions.length;
  if (input.mode === "check") {
    if (n > 0) return { status: "pending-changes", message: `${n} change${n === 1 ? "" : "s"} to make; nothing was changed`, verified, fixStepId: null };
    if (verified) return { status: "unchanged", message: "already done, nothing to change", verified, fixStepId: null };
  } else if (verified) {
    return n > 0
      ? { status: "changed", message: `${n} change${n === 1 ? "" : "s"} made and verified`, verified, fixStepId: null }
      : { status: "unchanged", message: "already done, nothing changed", verified, fixStepId: null };
  }
  return {
    status: "failed",
    message: `verification failed: ${failed.map((p) => `${p.title}: ${p.observed} (expected ${p.expected})`).join("; ")}`,
    verified,
    fixStepId: null,
  };
}

/** Returns a failure message, or null when the action succeeded. */
async function applyAction(s: NodeRunState, host: TrackedHost, action: Action): Promise<string | null> {
  const { node, events, signal } = s;
  if (action.kind === "upload-artifact") {
    if (!s.deps.applyArtifact) return `${action.artifactId}: this dashboard cannot stage artifacts`;
    // One line in the run's log for the planned action, with its progress; the commands it runs on
    // the host (mktemp, the upload, sha256sum, tar or install, rm) are each in the audit log.
    const commandId = events.nextId();
    events.started({ commandId, command: s.clean(renderAction(action, {}, { delivery: s.input.delivery }).command) });
    const started = Date.now();
    try {
      await s.deps.applyArtifact(host.quietly(), action, {
        delivery: s.input.delivery ?? { kind: "cache" },
        signal,
        onLine: (l) => events.output({ commandId, stream: "stdout", line: s.clean(l) }),
      });
      events.finished({ commandId, exitCode: 0, durationMs: Date.now() - started });
      return null;
    } catch (error) {
      // The reason goes in the log too, before the "no exit code" line (a refused sum, a lost host).
      events.output({ commandId, stream: "stderr", line: s.clean((error as Error).message) });
      events.finished({ commandId, exitCode: null, durationMs: Date.now() - started });
      if (error instanceof SshError || signal.aborted) throw error;
      return s.clean((error as Error).message);
    }
  }
  const spec = execSpec(action);
  const lastErr: string[] = [];
  const result = await host.exec(spec.command, {
    asRoot: true,
    signal,
    timeoutMs: spec.timeoutMs,
    stdin: spec.stdin,
    onStderr: (l) => {
      lastErr.push(l);
      if (lastErr.length > LAST_LINES) lastErr.shift();
    },
  });
  if (result.code === 0) return null;
  const why = result.code === null ? `stopped by signal ${result.signal ?? "?"}` : `exited with ${result.code}`;
  return `\`${s.clean(spec.command)}\` ${why} on ${node.name}${lastErr.length ? `: ${lastErr.join(" / ")}` : ""}`;
}
