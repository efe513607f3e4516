import "server-only";
import { AppError } from "../errors";
import { forEachLimited } from "../util/limited";
import type { Delivery, UploadArtifactAction } from "@/lib/contracts/artifacts";
import type { HostFacts } from "@/lib/contracts/facts";
import type { NewRunEvent, NodeRunStatus, Rolling, RolloutPlan, RolloutWait, RunEvent, RunMode, RunStatus, RuntimeVersions } from "@/lib/contracts/runs";
import { planRollout, rolloutBatches } from "@/lib/rolling";
import { recordAudit } from "../audit/record";
import type { Probe, Step } from "../catalog/types";
import type { Db } from "../db";
import type { HostWork, TrackedHost } from "../hosts";
import type { RemoteHost } from "../ssh/types";
import { publish } from "./bus";
import { appendEvent, createRun, finishRun, setNodeStatus, setWaiting } from "./repository";
import { waitBetweenBatches, type PendingWait } from "./rollout-wait";
import { runNode } from "./run-node";

// The run engine (design.md "Data flow of one click"): per node, connect -> facts -> requires ->
// plan -> apply (only what the plan says) -> verify, for each step in catalog order (run-node.ts,
// run-step.ts). Steps own none of execution: sudo, timeouts, streaming, audit, redaction and
// cancellation live here and in the tracked path to the host (server/hosts).

export interface EngineCatalog {
  steps: readonly Step[];
  getProbe(id: string): Probe;
}

export interface EngineDeps {
  db: Db;
  catalog: EngineCatalog;
  /** Name the node (for messages and the runs list); null when it does not exist. */
  describeNode(nodeId: string): { id: string; name: string } | null;
  /** The tracked path to the node (server/hosts openHost): every command audited, streamed, redacted. */
  openHost(nodeId: string, work: HostWork): TrackedHost | Promise<TrackedHost>;
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

export interface Timeouts {
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
  /** Apply in batches (ignored by a Check, which reads every node at once). */
  rolling?: Rolling;
}

const OK: readonly NodeRunStatus[] = ["unchanged", "changed", "pending-changes"];
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const countFailed = (results: readonly NodeRunStatus[]) => results.filter((r) => !OK.includes(r)).length;

export class UnknownInputError extends AppError {
  constructor(message: string) {
    super("bad_request", message);
  }
}

/** A run in flight in this process. */
export interface ActiveRun {
  controller: AbortController;
  cancelledBy: string | null;
  done: Promise<void>;
  /** The tracked hosts of its nodes: what a cancel stops, named in the audit log. */
  hosts: Set<TrackedHost>;
  /** The wait between batches it is in (a rolling run), which Continue ends; null otherwise. */
  waiting: PendingWait | null;
}

/** Why Continue did nothing, for the route's 409. */
export type ContinueResult = { ok: true } | { ok: false; why: "not-active" | "not-waiting" | "other-batch"; message: string };

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
    // A rolling run is batches of nodes; any other run is one batch of all of them.
    const plan: RolloutPlan | null = input.mode === "apply" && input.rolling ? planRollout(nodes.length, input.rolling) : null;
    const batches = plan ? rolloutBatches(nodes, plan) : [nodes];
    const batchOf = new Map(batches.flatMap((b, i) => b.map((n) => [n.id, i + 1] as const)));
    const runId = createRun(db, {
      mode: input.mode,
      stepIds: steps.map((s) => s.id),
      nodes: nodes.map((n) => ({ ...n, batch: plan ? batchOf.get(n.id) : undefined })),
      actor: input.actor,
      rolling: plan ?? undefined,
    });
    const controller = new AbortController();
    const run: ActiveRun = { controller, cancelledBy: null, done: Promise.resolve(), hosts: new Set(), waiting: null };
    active.set(runId, run);
    emit(runId, {
      type: "run-started",
      nodeId: null,
      stepId: null,
      mode: input.mode,
      stepIds: steps.map((s) => s.id),
      nodes: nodes.map((n) => ({ nodeId: n.id, name: n.name, ...(plan ? { batch: batchOf.get(n.id) } : {}) })),
      ...(plan ? { rolling: plan } : {}),
    });
    const cancelled = () => `cancelled${run.cancelledBy ? ` by ${run.cancelledBy}` : ""}`;
    run.done = (async () => {
      const results: NodeRunStatus[] = [];
      /** Why a rolling run started no more batches; null while it goes on. */
      let stopped: string | null = null;
      for (const [i, batch] of batches.entries()) {
        if (plan) {
          const failed = countFailed(results);
          /** Set when a cancel came while waiting between batches (the message says so). */
          let cancelledWaiting = false;
          // Between batches, below the threshold: the canary waits for Continue, the others for the pause.
          // (A canary at the threshold stops the rollout: nobody is asked to continue a failed one.)
          if (i > 0 && !controller.signal.aborted && failed < plan.stopAfterFailures) {
            const size = batches[i - 1].length;
            const ok = size - countFailed(results.slice(-size));
            cancelledWaiting = (await waitAfterBatch(runId, run, plan, { afterBatch: i, of: batches.length, ok, size })) === "cancelled";
          }
          if (cancelledWaiting) stopped = `${cancelled()} while waiting after batch ${i} of ${batches.length}`;
          else if (controller.signal.aborted) stopped = `${cancelled()} during batch ${i} of ${batches.length}`;
          else if (failed >= plan.stopAfterFailures) {
            stopped = `stopped after batch ${i} of ${batches.length}: ${failed} of ${plural(results.length, "node")} failed, the limit is ${plan.stopAfterFailures}`;
          }
          if (stopped) {
            // Never silently dropped: each node not started says so, with the reason.
            for (const n of batches.slice(i).flat()) {
              const message = `not started (${stopped})`;
              setNodeStatus(db, runId, n.id, "skipped", message);
              emit(runId, { type: "node-end", nodeId: n.id, stepId: null, status: "skipped", message });
              results.push("skipped");
            }
            break;
          }
          emit(runId, { type: "batch-started", nodeId: null, stepId: null, batch: i + 1, of: batches.length, nodeIds: batch.map((n) => n.id) });
        }
        await forEachLimited(batch, deps.concurrency ?? 8, async (n) => {
          results.push(await runNode({ deps, timeouts, runId, run, node: n, steps, input, emit: (e) => emit(runId, e) }));
        });
      }
      const skipped = results.filter((r) => r === "skipped").length;
      const notStarted = skipped ? `; ${plural(skipped, "node")} not started` : "";
      let status: RunStatus;
      let message: string;
      if (results.every((r) => OK.includes(r))) {
        status = "succeeded";
        message = summarise(results, input.mode);
      } else if (controller.signal.aborted) {
        status = "cancelled";
        message = `${stopped ? `rollout ${stopped}` : cancelled()}${notStarted}`;
      } else if (stopped) {
        status = "failed";
        message = `rollout ${stopped}${notStarted}`;
      } else {
        status = "failed";
        const bad = results.filter((r) => !OK.includes(r)).length;
        message = `${bad} of ${plural(results.length, "node")} did not finish: see each node's log`;
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

  /**
   * Wait after batch `afterBatch` of a rolling run, when its plan says so: the canary (batch 1) until
   * Continue, any other batch for the pause. Recorded on the run (the run view shows why it waits; a
   * restart names the nodes not started) and as events. Returns how the wait ended ("none": no wait).
   */
  async function waitAfterBatch(
    runId: string,
    run: ActiveRun,
    plan: RolloutPlan,
    at: { afterBatch: number; of: number; ok: number; size: number },
  ): Promise<"none" | "continued" | "elapsed" | "cancelled"> {
    const canary = at.afterBatch === 1 && plan.canarySize !== undefined;
    if (!canary && !plan.pauseSeconds) return "none";
    const ms = canary ? undefined : plan.pauseSeconds! * 1000;
    const wait: RolloutWait = canary
      ? { kind: "canary", afterBatch: at.afterBatch, of: at.of, reason: `waiting for Continue after the canary batch: ${at.ok} of ${plural(at.size, "node")} ok` }
      : {
          kind: "pause",
          afterBatch: at.afterBatch,
          of: at.of,
          reason: `pausing ${plan.pauseSeconds} s after batch ${at.afterBatch} of ${at.of}`,
          until: new Date(Date.now() + ms!).toISOString(),
        };
    setWaiting(db, runId, wait);
    emit(runId, { type: "rollout-waiting", nodeId: null, stepId: null, wait });
    const ended = await waitBetweenBatches(wait, { ms, signal: run.controller.signal, onPending: (p) => (run.waiting = p) });
    setWaiting(db, runId, null);
    if (ended.how !== "cancelled") emit(runId, { type: "rollout-continued", nodeId: null, stepId: null, afterBatch: at.afterBatch, by: ended.how === "continued" ? ended.by : null });
    return ended.how;
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

  return {
    start,
    /**
     * Stop a running run: aborts the remote commands in flight. The audit log says who cancelled and
     * which commands on which nodes were stopped. False when it is not running here.
     */
    cancel(runId: string, by: string | null): boolean {
      const run = active.get(runId);
      if (!run) return false;
      const stopped = [...run.hosts].flatMap((h) => h.running().map((c) => ({ nodeId: h.target.nodeId, node: h.target.name, command: c.command, since: c.startedAt })));
      // While a rolling run waits between batches nothing runs: the audit row says what it waited for.
      const waiting = run.waiting ? { waiting: run.waiting.wait } : {};
      recordAudit(db, { actor: by ?? "system", action: "run-cancelled", runId, detail: { stopped, ...waiting } });
      run.cancelledBy = by;
      run.controller.abort(new Error("cancelled"));
      return true;
    },
    /**
     * Continue a rolling run waiting after batch `afterBatch` (after its canary, or cutting a pause
     * short). The audit log says who. `afterBatch` is the wait the operator saw: a stale page whose run
     * has moved on continues nothing.
     */
    continueRun(runId: string, by: string, afterBatch: number): ContinueResult {
      const run = active.get(runId);
      if (!run) return { ok: false, why: "not-active", message: `run ${runId} is not running` };
      const pending = run.waiting;
      if (!pending) return { ok: false, why: "not-waiting", message: `run ${runId} is not waiting for Continue: its batch is running` };
      if (pending.wait.afterBatch !== afterBatch) {
        return { ok: false, why: "other-batch", message: `run ${runId} waits after batch ${pending.wait.afterBatch}, not after batch ${afterBatch}: reload the run` };
      }
      recordAudit(db, { actor: by, action: "run-continued", runId, detail: { afterBatch, of: pending.wait.of, kind: pending.wait.kind, reason: pending.wait.reason } });
      pending.end({ how: "continued", by });
      return { ok: true };
    },
    isActive: (runId: string) => active.has(runId),
    /** Resolves when every active run has ended (tests, graceful shutdown). */
    async idle() {
      await Promise.all([...active.values()].map((r) => r.done));
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
