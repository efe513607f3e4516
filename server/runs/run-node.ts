import "server-only";
import { PHASE_WORDS, type NewRunEvent, type NodeRunStatus, type Phase } from "@/lib/contracts/runs";
import type { Step } from "../catalog/types";
import type { CommandEvents, TrackedHost } from "../hosts";
import { SshError } from "../ssh/types";
import type { ActiveRun, EngineDeps, StartRunInput, Timeouts } from "./engine";
import { recordStepOutcome, setNodeStatus } from "./repository";
import { runStep, type NodeRunState } from "./run-step";

// One node of a run: connect (through the tracked path), facts, then each step (run-step.ts). Ends the
// node with a status and a message an operator can act on, and the step it was on when it failed.

/** Thrown inside a node's pipeline to end it with a clear message. */
export class NodeFailure extends Error {
  constructor(
    readonly status: NodeRunStatus,
    message: string,
  ) {
    super(message);
  }
}

export interface NodeRunInput {
  deps: EngineDeps;
  timeouts: Timeouts;
  runId: string;
  run: ActiveRun;
  node: { id: string; name: string };
  steps: readonly Step[];
  input: StartRunInput;
  emit(event: NewRunEvent): void;
}

export async function runNode({ deps, timeouts, runId, run, node, steps, input, emit }: NodeRunInput): Promise<NodeRunStatus> {
  const { db } = deps;
  const signal = run.controller.signal;
  let phase: Phase = "connect";
  let stepId: string | null = null;
  let host: TrackedHost | null = null;
  let commandIds = 0;
  let stepInProgress: Step | null = null;
  let stepsEnded = 0;
  const clean = (text: string) => (host ? host.redact(text) : text);
  const ev = (e: NewRunEvent) => emit(e);
  const cancelled = () => `cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ""}`;

  // The run's log of this node's commands, as the tracked host reports them.
  const events: CommandEvents = {
    nextId: () => ++commandIds,
    started: ({ commandId, command }) => ev({ type: "command-started", nodeId: node.id, stepId, commandId, phase, command }),
    output: ({ commandId, stream, line }) => ev({ type: "output", nodeId: node.id, stepId, commandId, stream, line }),
    finished: ({ commandId, exitCode, durationMs }) => ev({ type: "command-finished", nodeId: node.id, stepId, commandId, exitCode, durationMs }),
  };

  const state: NodeRunState = {
    deps,
    timeouts,
    node,
    input,
    signal,
    events,
    ev,
    clean,
    setPhase(p, step) {
      phase = p;
      stepId = step;
      ev({ type: "phase", nodeId: node.id, stepId: step, phase: p });
    },
    phase: () => phase,
    checkCancel() {
      if (signal.aborted) throw new NodeFailure("cancelled", `${cancelled()} during ${phase}`);
    },
  };

  setNodeStatus(db, runId, node.id, "running");
  const endNode = (status: NodeRunStatus, message: string): NodeRunStatus => {
    const m = clean(message);
    setNodeStatus(db, runId, node.id, status, m);
    ev({ type: "node-end", nodeId: node.id, stepId: null, status, message: m });
    return status;
  };

  /**
   * A node that fails outside a step's own verdict (the connection, facts, a dropped host) still ends
   * the steps it was on: the one in progress, or, when none had started, every step of the run. Else
   * the wizard's step list would keep showing an older "done" after this failed attempt.
   */
  const recordUnfinished = (status: NodeRunStatus): NodeRunStatus => {
    const unfinished = stepInProgress ? [stepInProgress] : stepsEnded === 0 ? steps : [];
    for (const step of unfinished) recordStepOutcome(db, { runId, nodeId: node.id, stepId: step.id, mode: input.mode, status, verified: false });
    return status;
  };

  try {
    state.checkCancel();
    state.setPhase("connect", null);
    host = await deps.openHost(node.id, { actor: input.actor ?? "system", runId, stepId: () => stepId, events });
    run.hosts.add(host);
    await host.connect(signal);

    state.checkCancel();
    state.setPhase("facts", null);
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
      state.checkCancel();
      stepInProgress = step;
      const outcome = await runStep(state, host, step, facts);
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
      state.checkCancel();
      state.setPhase("facts", null);
      try {
        await deps.gatherFacts(host, { nodeId: node.id, signal, timeoutMs: timeouts.factsMs });
      } catch (error) {
        // The steps' verdicts stand; the node keeps the facts from the start of the run.
        if (signal.aborted) throw error;
      }
    }
    const final: NodeRunStatus = outcomes.includes("pending-changes") ? "pending-changes" : outcomes.includes("changed") ? "changed" : "unchanged";
    const msg =
      final === "unchanged"
        ? "already done, nothing changed"
        : final === "changed"
          ? "changed and verified"
          : "changes to make (nothing was changed): review the plan, then Apply";
    return endNode(final, msg);
  } catch (error) {
    if (error instanceof NodeFailure) return endNode(recordUnfinished(error.status), error.message);
    if (signal.aborted) return endNode(recordUnfinished("cancelled"), `${cancelled()} during ${phase}; the remote command was stopped`);
    return endNode(recordUnfinished("failed"), describeError(error, node.name, phase));
  } finally {
    if (host) run.hosts.delete(host);
  }
}

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
