import type { PlannedAction, ProbeResult } from "@/lib/contracts/catalog";
import type { NodeRunStatus, Phase, RolloutPlan, RolloutWait, RunEvent, RunMode, RunStatus } from "@/lib/contracts/runs";

// A run's events folded into what the screens show: per node, its log, each step's plan and probes.

export type LogLine =
  | { kind: "command"; seq: number; stepId: string | null; text: string }
  | { kind: "stdout" | "stderr"; seq: number; stepId: string | null; text: string }
  | { kind: "exit"; seq: number; stepId: string | null; code: number | null; durationMs: number }
  | { kind: "phase"; seq: number; stepId: string | null; phase: Phase }
  | { kind: "note"; seq: number; stepId: string | null; text: string };

export interface StepView {
  plan: { actions: PlannedAction[]; notes: string[] } | null;
  requires: ProbeResult[];
  verify: ProbeResult[];
  end: { status: NodeRunStatus; message: string; fixStepId: string | null } | null;
}

export interface NodeView {
  nodeId: string;
  name: string;
  status: NodeRunStatus;
  message: string | null;
  /** Its batch in a rolling run (1-based); null when every node runs at once. */
  batch: number | null;
  phase: Phase | null;
  facts: Extract<RunEvent, { type: "facts" }> | null;
  log: LogLine[];
  steps: Record<string, StepView>;
}

export interface RunView {
  mode: RunMode | null;
  stepIds: string[];
  status: RunStatus | "starting";
  message: string | null;
  nodes: NodeView[];
  lastSeq: number;
  /** A rolling run's batch plan, and the batch it has reached. */
  rolling: RolloutPlan | null;
  batch: { n: number; of: number } | null;
  /** What a rolling run waits for between batches (Continue after its canary, or a pause); null otherwise. */
  waiting: RolloutWait | null;
}

export const emptyRunView = (): RunView => ({ mode: null, stepIds: [], status: "starting", message: null, nodes: [], lastSeq: 0, rolling: null, batch: null, waiting: null });

const emptyStep = (): StepView => ({ plan: null, requires: [], verify: [], end: null });

export function reduceRunEvents(events: readonly RunEvent[]): RunView {
  const view = emptyRunView();
  const byId = new Map<string, NodeView>();
  const nodeFor = (id: string | null) => {
    if (!id) return null;
    let n = byId.get(id);
    if (!n) {
      n = { nodeId: id, name: id, status: "pending", message: null, batch: null, phase: null, facts: null, log: [], steps: {} };
      byId.set(id, n);
      view.nodes.push(n);
    }
    return n;
  };
  const stepFor = (n: NodeView, stepId: string | null) => (stepId ? (n.steps[stepId] ??= emptyStep()) : null);

  for (const e of events) {
    view.lastSeq = Math.max(view.lastSeq, e.seq);
    if (e.type === "run-started") {
      view.mode = e.mode;
      view.stepIds = e.stepIds;
      view.status = "running";
      view.rolling = e.rolling ?? null;
      for (const n of e.nodes) Object.assign(nodeFor(n.nodeId)!, { name: n.name, batch: n.batch ?? null });
      continue;
    }
    if (e.type === "batch-started") {
      view.batch = { n: e.batch, of: e.of };
      continue;
    }
    if (e.type === "rollout-waiting") {
      view.waiting = e.wait;
      continue;
    }
    if (e.type === "rollout-continued") {
      view.waiting = null;
      continue;
    }
    if (e.type === "run-end") {
      view.waiting = null;
      view.status = e.status;
      view.message = e.message;
      continue;
    }
    const n = nodeFor(e.nodeId);
    if (!n) continue;
    switch (e.type) {
      case "phase":
        n.phase = e.phase;
        n.status = "running";
        n.log.push({ kind: "phase", seq: e.seq, stepId: e.stepId, phase: e.phase });
        break;
      case "facts":
        n.facts = e;
        n.log.push({ kind: "note", seq: e.seq, stepId: null, text: `${e.hostname}: ${e.os}, kernel ${e.kernel}, ${e.arch}, ${e.init}, cgroup ${e.cgroup}` });
        break;
      case "plan":
        stepFor(n, e.stepId)!.plan = { actions: e.actions, notes: e.notes };
        n.log.push({
          kind: "note",
          seq: e.seq,
          stepId: e.stepId,
          text: e.actions.length ? `plan: ${e.actions.length} change${e.actions.length === 1 ? "" : "s"}` : "plan: nothing to change",
        });
        break;
      case "command-started":
        n.log.push({ kind: "command", seq: e.seq, stepId: e.stepId, text: e.command });
        break;
      case "output":
        n.log.push({ kind: e.stream, seq: e.seq, stepId: e.stepId, text: e.line });
        break;
      case "command-finished":
        n.log.push({ kind: "exit", seq: e.seq, stepId: e.stepId, code: e.exitCode, durationMs: e.durationMs });
        break;
      case "probe": {
        const s = stepFor(n, e.stepId)!;
        (e.phase === "requires" ? s.requires : s.verify).push(e.result);
        if (e.phase === "verify") {
          n.log.push({ kind: "note", seq: e.seq, stepId: e.stepId, text: `verify ${e.result.title}: ${e.result.status} (${e.result.observed})` });
        }
        break;
      }
      case "step-end":
        stepFor(n, e.stepId)!.end = { status: e.status, message: e.message, fixStepId: e.fixStepId };
        n.log.push({ kind: "note", seq: e.seq, stepId: e.stepId, text: `${e.stepId}: ${e.message}` });
        break;
      case "node-end":
        n.status = e.status;
        n.message = e.message;
        n.phase = null;
        break;
    }
  }
  return view;
}
