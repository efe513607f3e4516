import "server-only";
import type { Delivery, UploadArtifactAction } from "@/lib/contracts/artifacts";
import type { HostFacts } from "@/lib/contracts/facts";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { NewRunEvent, NodeRunStatus, Phase, RunEvent, RunMode, RunStatus, RuntimeVersions } from "@/lib/contracts/runs";
import { recordAudit } from "../audit/record";
import { execSpec, renderAction } from "../catalog/actions";
import { observation } from "../catalog/index";
import type { Action, Observed, Probe, Step } from "../catalog/types";
import type { Db } from "../db";
import { redact } from "../ssh/redact";
import { SshError, type RemoteHost } from "../ssh/types";
import { publish } from "./bus";
import { appendEvent, createRun, finishRun, recordStepOutcome, setNodeStatus } from "./repository";

// The run engine (design.md "Data flow of one click"): per node, connect -> facts -> requires ->
// plan -> apply (only what the plan says) -> verify, for each step in catalog order. Steps own none
// of execution: sudo, timeouts, streaming, audit, redaction and cancellation live here.

export interface Connection {
  host: RemoteHost;
  /** Secrets of this target (password, key, sudo password): redacted from everything stored. */
  secrets: string[];
}

export interface EngineCatalog {
  steps: readonly Step[];
  getProbe(id: string): Probe;
}

export interface EngineDeps {
  db: Db;
  catalog: EngineCatalog;
  /** Name the node (for messages and the runs list); null when it does not exist. */
  describeNode(nodeId: string): { id: string; name: string } | null;
  connect(nodeId: string, signal: AbortSignal): Promise<Connection>;
  /** Gather (and keep: the node page shows what the last contact learnt) the node's facts. */
  gatherFacts(host: RemoteHost, opts: { nodeId: string; signal: AbortSignal; timeoutMs: number }): Promise<HostFacts>;
  applyArtifact?(
    host: RemoteHost,
    action: UploadArtifactAction,
    opts: { delivery: Delivery; signal: AbortSignal; onLine: (line: string) => void },
  ): Promise<{ command: string }>;
  timeouts?: Partial<Timeouts>;
  /** How many nodes of one run work at once. */
  concurrency?: number;
}

interface Timeouts {
  connectMs: number;
  factsMs: number;
  probesMs: number;
}
const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 45_000, factsMs: 45_000, probesMs: 45_000 };

export interface StartRunInput {
  stepIds: string[];
  nodeIds: string[];
  mode: RunMode;
  actor: string | null;
  delivery?: Delivery;
  versions?: RuntimeVersions;
}

export class UnknownInputError extends Error {}

interface ActiveRun {
  controller: AbortController;
  cancelledBy: string | null;
  done: Promise<void>;
}

/** Thrown inside a node's pipeline to end it with a clear message. */
class NodeFailure extends Error {
  constructor(
    readonly status: NodeRunStatus,
    message: string,
  ) {
    super(message);
  }
}

const LAST_LINES = 6;

export function createEngine(deps: EngineDeps) {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const active = new Map<string, ActiveRun>();
  const { db } = deps;

  function emit(runId: string, event: NewRunEvent): RunEvent {
    const stored = appendEvent(db, runId, event);
    publish(runId, stored);
    return stored;
  }

  function start(input: StartRunInput): { runId: string; done: Promise<void> } {
    const known = new Set(deps.catalog.steps.map((s) => s.id));
    const unknownStep = input.stepIds.find((id) => !known.has(id));
    if (unknownStep) throw new UnknownInputError(`unknown step ${unknownStep}`);
    const steps = deps.catalog.steps.filter((s) => input.stepIds.includes(s.id));
    const nodes = [...new Set(input.nodeIds)].map((id) => {
      const n = deps.describeNode(id);
      if (!n) throw new UnknownInputError(`unknown node ${id}`);
      return n;
    });
    const runId = createRun(db, { mode: input.mode, stepIds: steps.map((s) => s.id), nodes, actor: input.actor });
    const controller = new AbortController();
    const run: ActiveRun = { controller, cancelledBy: null, done: Promise.resolve() };
    active.set(runId, run);
    emit(runId, {
      type: "run-started",
      nodeId: null,
      stepId: null,
      mode: input.mode,
      stepIds: steps.map((s) => s.id),
      nodes: nodes.map((n) => ({ nodeId: n.id, name: n.name })),
    });
    run.done = (async () => {
      const results: NodeRunStatus[] = [];
      const queue = [...nodes];
      const workers = Array.from({ length: Math.min(deps.concurrency ?? 8, queue.length) }, async () => {
        for (let n = queue.shift(); n; n = queue.shift()) {
          results.push(await runNode(runId, run, n, steps, input));
        }
      });
      await Promise.all(workers);
      const ok: NodeRunStatus[] = ["unchanged", "changed", "pending-changes"];
      let status: RunStatus;
      let message: string;
      if (results.every((r) => ok.includes(r))) {
        status = "succeeded";
        message = summarise(results, input.mode);
      } else if (controller.signal.aborted) {
        status = "cancelled";
        message = `cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ""}`;
      } else {
        status = "failed";
        const bad = results.filter((r) => !ok.includes(r)).length;
        message = `${bad} of ${results.length} node${results.length === 1 ? "" : "s"} did not finish: see each node's log`;
      }
      finishRun(db, runId, status, message);
      emit(runId, { type: "run-end", nodeId: null, stepId: null, status, message });
    })()
      .catch((error) => {
        console.error("[runs] engine error", error);
        finishRun(db, runId, "failed", `internal error: ${(error as Error).message}`);
        emit(runId, { type: "run-end", nodeId: null, stepId: null, status: "failed", message: `internal error: ${(error as Error).message}` });
      })
      .finally(() => active.delete(runId));
    return { runId, done: run.done };
  }

  function summarise(results: NodeRunStatus[], mode: RunMode): string {
    const count = (s: NodeRunStatus) => results.filter((r) => r === s).length;
    if (mode === "check") {
      const pending = count("pending-changes");
      return pending ? `${pending} node${pending === 1 ? "" : "s"} with changes to make; nothing was changed` : "already done everywhere; nothing to change";
    }
    const changed = count("changed");
    return changed ? `changed and verified on ${changed} node${changed === 1 ? "" : "s"}` : "already done, nothing changed";
  }

  async function runNode(
    runId: string,
    run: ActiveRun,
    node: { id: string; name: string },
    steps: readonly Step[],
    input: StartRunInput,
  ): Promise<NodeRunStatus> {
    const signal = run.controller.signal;
    let phase: Phase = "connect";
    let secrets: string[] = [];
    const clean = (text: string) => redact(text, secrets);
    const ev = (e: NewRunEvent) => emit(runId, e);
    const setPhase = (p: Phase, stepId: string | null) => {
      phase = p;
      ev({ type: "phase", nodeId: node.id, stepId, phase: p });
    };
    let commandId = 0;
    let stepInProgress: Step | null = null;
    let stepsEnded = 0;

    setNodeStatus(db, runId, node.id, "running");
    const endNode = (status: NodeRunStatus, message: string): NodeRunStatus => {
      const m = clean(message);
      setNodeStatus(db, runId, node.id, status, m);
      ev({ type: "node-end", nodeId: node.id, stepId: null, status, message: m });
      return status;
    };

    const checkCancel = () => {
      if (signal.aborted) throw new NodeFailure("cancelled", `cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ""} during ${phase}`);
    };

    /** Run one command with events, streaming and audit. Rejects only when the host could not run it. */
    async function tracked(
      host: RemoteHost,
      stepId: string | null,
      command: string,
      opts: { stdin?: string; timeoutMs: number; quiet?: boolean; asRoot: boolean },
    ) {
      const id = ++commandId;
      const shown = clean(command);
      if (!opts.quiet) ev({ type: "command-started", nodeId: node.id, stepId, commandId: id, phase, command: shown });
      const started = Date.now();
      const lastErr: string[] = [];
      let bytes = 0;
      const line = (stream: "stdout" | "stderr") => (l: string) => {
        bytes += Buffer.byteLength(l) + 1;
        const text = clean(l);
        if (stream === "stderr") {
          lastErr.push(text);
          if (lastErr.length > LAST_LINES) lastErr.shift();
        }
        if (!opts.quiet) ev({ type: "output", nodeId: node.id, stepId, commandId: id, stream, line: text });
      };
      const audit = (exitCode: number | null) =>
        recordAudit(db, {
          actor: input.actor ?? "system",
          action: "command",
          nodeId: node.id,
          runId,
          stepId,
          command: shown,
          exitCode,
          durationMs: Date.now() - started,
          outputBytes: bytes,
        });
      try {
        const result = await host.exec(command, {
          asRoot: opts.asRoot,
          signal,
          timeoutMs: opts.timeoutMs,
          stdin: opts.stdin,
          onStdout: opts.quiet ? undefined : line("stdout"),
          onStderr: opts.quiet ? undefined : line("stderr"),
        });
        if (opts.quiet) bytes = Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr);
        audit(result.code);
        if (!opts.quiet) {
          ev({ type: "command-finished", nodeId: node.id, stepId, commandId: id, exitCode: result.code, durationMs: Date.now() - started });
        }
        if (opts.quiet) for (const l of result.stderr.split("\n").filter(Boolean).slice(-LAST_LINES)) lastErr.push(clean(l));
        return { result, lastErr, shown };
      } catch (error) {
        audit(null);
        if (!opts.quiet) {
          ev({ type: "command-finished", nodeId: node.id, stepId, commandId: id, exitCode: null, durationMs: Date.now() - started });
        }
        throw error;
      }
    }

    /** Probes and files in one round trip, read-only. */
    async function observe(host: RemoteHost, stepId: string, probeIds: string[], files: string[]) {
      const obs = observation(probeIds, files, { lookup: deps.catalog.getProbe });
      const { result } = await tracked(host, stepId, obs.script, { timeoutMs: timeouts.probesMs, quiet: true, asRoot: true });
      const parsed = obs.finish(result.stdout);
      return { probes: parsed.probes.map((p) => redactDeep(p, clean)), files: parsed.files };
    }

    try {
      checkCancel();
      setPhase("connect", null);
      const conn = await deps.connect(node.id, signal);
      secrets = conn.secrets;
      const host = conn.host;
      const hello = await tracked(host, null, "true", { timeoutMs: timeouts.connectMs, quiet: true, asRoot: false });
      if (hello.result.code !== 0) throw new NodeFailure("failed", `the host answered but could not run a command (exit ${hello.result.code})`);

      checkCancel();
      setPhase("facts", null);
      const facts = await deps.gatherFacts(host, { nodeId: node.id, signal, timeoutMs: timeouts.factsMs });
      ev({
        type: "facts",
        nodeId: node.id,
        stepId: null,
        hostname: facts.hostname,
        os: facts.os.prettyName ?? `${facts.os.id} ${facts.os.versionId ?? ""}`.trim(),
        kernel: facts.kernel,
        arch: facts.arch ?? facts.machine,
        init: facts.init,
        cgroup: facts.cgroup,
      });

      const outcomes: NodeRunStatus[] = [];
      for (const step of steps) {
        checkCancel();
        stepInProgress = step;
        const outcome = await runStep(host, step, facts);
        stepInProgress = null;
        stepsEnded++;
        outcomes.push(outcome.status);
        recordStepOutcome(db, { runId, nodeId: node.id, stepId: step.id, mode: input.mode, status: outcome.status, verified: outcome.verified });
        ev({ type: "step-end", nodeId: node.id, stepId: step.id, status: outcome.status, message: clean(outcome.message), fixStepId: outcome.fixStepId });
        if (outcome.status === "failed" || outcome.status === "blocked") {
          return endNode(outcome.status, `${step.title}: ${outcome.message}`);
        }
        // A check run goes on to show every step's plan; an apply run only continues on success.
      }
      // What this run installed belongs in the facts the node page and its report read (they were
      // gathered before the first step): one more round trip, only when something changed.
      if (outcomes.includes("changed")) {
        checkCancel();
        setPhase("facts", null);
        try {
          await deps.gatherFacts(host, { nodeId: node.id, signal, timeoutMs: timeouts.factsMs });
        } catch (error) {
          // The steps' verdicts stand; the node keeps the facts from the start of the run.
          if (signal.aborted) throw error;
        }
      }
      const final: NodeRunStatus = outcomes.includes("pending-changes")
        ? "pending-changes"
        : outcomes.includes("changed")
          ? "changed"
          : "unchanged";
      const msg =
        final === "unchanged"
          ? "already done, nothing changed"
          : final === "changed"
            ? "changed and verified"
            : "changes to make (nothing was changed): review the plan, then Apply";
      return endNode(final, msg);
    } catch (error) {
      if (error instanceof NodeFailure) return endNode(recordUnfinished(error.status), error.message);
      if (signal.aborted) return endNode(recordUnfinished("cancelled"), `cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ""} during ${phase}; the remote command was stopped`);
      return endNode(recordUnfinished("failed"), describeError(error, node.name, phase));
    }

    /**
     * A node that fails outside a step's own verdict (the connection, facts, a dropped host) still ends
     * the steps it was on: the one in progress, or, when none had started, every step of the run. Else
     * the wizard's step list would keep showing an older "done" after this failed attempt.
     */
    function recordUnfinished(status: NodeRunStatus): NodeRunStatus {
      const unfinished = stepInProgress ? [stepInProgress] : stepsEnded === 0 ? steps : [];
      for (const step of unfinished) recordStepOutcome(db, { runId, nodeId: node.id, stepId: step.id, mode: input.mode, status, verified: false });
      return status;
    }

    async function runStep(
      host: RemoteHost,
      step: Step,
      facts: HostFacts,
    ): Promise<{ status: NodeRunStatus; message: string; verified: boolean; fixStepId: string | null }> {
      setPhase("requires", step.id);
      const seen = await observe(host, step.id, [...step.requires, ...step.observe.probes], step.observe.files);
      const byId = Object.fromEntries(seen.probes.map((p) => [p.probeId, p])) as Record<string, ProbeResult>;
      const unmet = step.requires.map((id) => byId[id]).filter((p) => p.status !== "ok");
      for (const id of step.requires) ev({ type: "probe", nodeId: node.id, stepId: step.id, phase: "requires", result: byId[id] });
      if (unmet.length > 0) {
        const fix = unmet.find((p) => p.fixStepId)?.fixStepId ?? null;
        const fixTitle = fix ? deps.catalog.steps.find((s) => s.id === fix)?.title ?? fix : null;
        return {
          status: "blocked",
          message: `needs ${unmet.map((p) => `${p.title} (${p.observed}: ${p.detail})`).join("; ")}${fixTitle ? `. Run the step "${fixTitle}" first` : ""}`,
          verified: false,
          fixStepId: fix,
        };
      }

      checkCancel();
      setPhase("plan", step.id);
      const observed: Observed = { files: seen.files, probes: byId };
      const plan = step.plan(facts, observed, { versions: input.versions });
      ev({
        type: "plan",
        nodeId: node.id,
        stepId: step.id,
        actions: plan.actions.map((a) => redactDeep(renderAction(a, seen.files), clean)),
        notes: plan.notes.map(clean),
      });

      if (input.mode === "apply" && plan.actions.length > 0) {
        setPhase("apply", step.id);
        for (const action of plan.actions) {
          checkCancel();
          const failure = await applyAction(host, step, action);
          if (failure) return { status: "failed", message: failure, verified: false, fixStepId: null };
        }
      }

      checkCancel();
      setPhase("verify", step.id);
      const after = await observe(host, step.id, step.verify, []);
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
    async function applyAction(host: RemoteHost, step: Step, action: Action): Promise<string | null> {
      if (action.kind === "upload-artifact") {
        if (!deps.applyArtifact) return `${action.artifactId}: this dashboard cannot stage artifacts`;
        const id = ++commandId;
        ev({ type: "command-started", nodeId: node.id, stepId: step.id, commandId: id, phase, command: renderAction(action, {}).command });
        const started = Date.now();
        try {
          const done = await deps.applyArtifact(host, action, {
            delivery: input.delivery ?? { kind: "cache" },
            signal,
            onLine: (l) => ev({ type: "output", nodeId: node.id, stepId: step.id, commandId: id, stream: "stdout", line: clean(l) }),
          });
          recordAudit(db, { actor: input.actor ?? "system", action: "command", nodeId: node.id, runId, stepId: step.id, command: clean(done.command), exitCode: 0, durationMs: Date.now() - started });
          ev({ type: "command-finished", nodeId: node.id, stepId: step.id, commandId: id, exitCode: 0, durationMs: Date.now() - started });
          return null;
        } catch (error) {
          // The reason goes in the log too, before the "no exit code" line (a refused sum, a lost host).
          ev({ type: "output", nodeId: node.id, stepId: step.id, commandId: id, stream: "stderr", line: clean((error as Error).message) });
          ev({ type: "command-finished", nodeId: node.id, stepId: step.id, commandId: id, exitCode: null, durationMs: Date.now() - started });
          if (error instanceof SshError || signal.aborted) throw error;
          return clean((error as Error).message);
        }
      }
      const spec = execSpec(action);
      const { result, lastErr, shown } = await tracked(host, step.id, spec.command, { stdin: spec.stdin, timeoutMs: spec.timeoutMs, asRoot: true });
      if (result.code === 0) return null;
      const why = result.code === null ? `stopped by signal ${result.signal ?? "?"}` : `exited with ${result.code}`;
      return `\`${shown}\` ${why} on ${node.name}${lastErr.length ? `: ${lastErr.join(" / ")}` : ""}`;
    }
  }

  return {
    start,
    /** Stop a running run: aborts the remote command in flight. False when it is not running here. */
    cancel(runId: string, by: string | null): boolean {
      const run = active.get(runId);
      if (!run) return false;
      run.cancelledBy = by;
      run.controller.abort(new Error("cancelled"));
      return true;
    },
    isActive: (runId: string) => active.has(runId),
    /** Resolves when every active run has ended (tests, graceful shutdown). */
    async idle() {
      await Promise.all([...active.values()].map((r) => r.done));
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

/** Every string inside a value, redacted (plans carry argv, file content and diffs). */
export function redactDeep<T>(value: T, clean: (s: string) => string): T {
  if (typeof value === "string") return clean(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, clean)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, clean)])) as T;
  }
  return value;
}

const PHASE_WORDS: Record<Phase, string> = {
  connect: "connecting",
  facts: "reading the host's facts",
  requires: "checking what the step needs",
  plan: "planning",
  apply: "applying the plan",
  verify: "verifying",
};

/** Typed SSH errors become sentences an operator can act on (design.md convention 4). */
export function describeError(error: unknown, nodeName: string, phase: Phase): string {
  const during = PHASE_WORDS[phase];
  if (error instanceof SshError) {
    const where = `${nodeName} (${error.details.host}:${error.details.port})`;
    switch (error.kind) {
      case "connection-lost":
        return `lost the SSH connection to ${where} while ${during}: the host stopped answering. Nothing more was run; check that it is up, then run the step again. (${error.message})`;
      case "timeout":
        return `${where} did not answer in time while ${during}: it may be down, overloaded or paused. Nothing more was run; run the step again once it answers. (${error.message})`;
      case "host-key-changed":
        return `the host key of ${where} changed: this could be a man-in-the-middle. Nothing was run. Verify the host, then trust the new key on the Nodes page. (${error.message})`;
      default:
        return `${where}: ${error.message} (while ${during})`;
    }
  }
  return `${nodeName}: ${(error as Error)?.message ?? String(error)} (while ${during})`;
}
