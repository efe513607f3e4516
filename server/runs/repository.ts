import "server-only";
import { AppError } from "../errors";
import { randomUUID } from "node:crypto";
import type { StepProgress, StepProgressState } from "@/lib/contracts/catalog";
import {
  PHASE_WORDS,
  RunEvent,
  RolloutPlan,
  RolloutWait,
  type Phase,
  type NewRunEvent,
  type NodeRunStatus,
  type RunMode,
  type RunStatus,
  type RunSummary,
} from "@/lib/contracts/runs";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";

/** Two runs never mutate one host at once (design.md convention 10). */
export class RunConflictError extends AppError {
  constructor(
    message: string,
    readonly runId: string,
  ) {
    super("run_conflict", message);
  }
}

interface RunRow {
  id: string;
  mode: RunMode;
  step_ids: string;
  status: RunStatus;
  actor: string | null;
  created_at: string;
  finished_at: string | null;
  message: string | null;
  rolling: string | null;
  waiting: string | null;
}

interface RunNodeRow {
  run_id: string;
  node_id: string;
  node_name: string;
  status: NodeRunStatus;
  message: string | null;
  batch: number | null;
}

/**
 * Create a run and its nodes (with each node's batch when it rolls out). For apply runs, refuse (in the same transaction) when another apply run
 * still holds one of the nodes: two runs never mutate the same host at once.
 */
export function createRun(
  db: Db,
  input: { mode: RunMode; stepIds: string[]; nodes: { id: string; name: string; batch?: number }[]; actor: string | null; rolling?: RolloutPlan },
): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  db.transaction(() => {
    if (input.mode === "apply") {
      const busy = db
        .prepare(
          `SELECT rn.node_name AS name, r.id AS runId, r.created_at AS createdAt FROM run_nodes rn JOIN runs r ON r.id = rn.run_id
           WHERE r.status = 'running' AND r.mode = 'apply' AND rn.node_id IN (SELECT value FROM json_each(?)) LIMIT 1`,
        )
        .get(JSON.stringify(input.nodes.map((n) => n.id))) as { name: string; runId: string; createdAt: string } | undefined;
      if (busy) {
        throw new RunConflictError(
          `${busy.name} is already being changed by run ${busy.runId} (started ${busy.createdAt}): wait for it to finish or cancel it`,
          busy.runId,
        );
      }
    }
    db.prepare("INSERT INTO runs (id, mode, step_ids, status, actor, created_at, rolling) VALUES (?, ?, ?, 'running', ?, ?, ?)").run(
      id,
      input.mode,
      JSON.stringify(input.stepIds),
      input.actor,
      now,
      input.rolling ? JSON.stringify(input.rolling) : null,
    );
    const insertNode = db.prepare("INSERT INTO run_nodes (run_id, node_id, node_name, position, status, batch) VALUES (?, ?, ?, ?, 'pending', ?)");
    input.nodes.forEach((n, i) => insertNode.run(id, n.id, n.name, i, n.batch ?? null));
  }).immediate();
  return id;
}

/** Number, timestamp and store an event; returns it as stored. */
export function appendEvent(db: Db, runId: string, event: NewRunEvent): RunEvent {
  const at = new Date().toISOString();
  const row = db
    .prepare(
      `INSERT INTO run_events (run_id, seq, at, node_id, type, data)
       VALUES (@runId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_events WHERE run_id = @runId), @at, @nodeId, @type, @data)
       RETURNING seq`,
    )
    .get({ runId, at, nodeId: event.nodeId, type: event.type, data: JSON.stringify(event) }) as { seq: number };
  return { ...event, seq: row.seq, at } as RunEvent;
}

export function listEvents(db: Db, runId: string, afterSeq = 0): RunEvent[] {
  const rows = db
    .prepare("SELECT seq, at, data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq")
    .all(runId, afterSeq) as { seq: number; at: string; data: string }[];
  return rows.map((r) => RunEvent.parse({ ...JSON.parse(r.data), seq: r.seq, at: r.at }));
}

export function setNodeStatus(db: Db, runId: string, nodeId: string, status: NodeRunStatus, message: string | null = null) {
  db.prepare("UPDATE run_nodes SET status = ?, message = ? WHERE run_id = ? AND node_id = ?").run(status, message, runId, nodeId);
}

/** What a rolling run waits for between batches (null: it no longer waits). */
export function setWaiting(db: Db, runId: string, wait: RolloutWait | null) {
  db.prepare("UPDATE runs SET waiting = ? WHERE id = ?").run(wait ? JSON.stringify(wait) : null, runId);
}

export function finishRun(db: Db, runId: string, status: RunStatus, message: string) {
  db.prepare("UPDATE runs SET status = ?, message = ?, finished_at = ?, waiting = NULL WHERE id = ? AND status = 'running'").run(
    status,
    message,
    new Date().toISOString(),
    runId,
  );
}

export function recordStepOutcome(
  db: Db,
  o: { runId: string; nodeId: string; stepId: string; mode: RunMode; status: NodeRunStatus; verified: boolean },
) {
  db.prepare(
    `INSERT OR REPLACE INTO run_steps (run_id, node_id, step_id, mode, status, verified, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(o.runId, o.nodeId, o.stepId, o.mode, o.status, o.verified ? 1 : 0, new Date().toISOString());
}

function toSummary(db: Db, r: RunRow): RunSummary {
  const nodes = db
    .prepare("SELECT * FROM run_nodes WHERE run_id = ? ORDER BY position")
    .all(r.id) as RunNodeRow[];
  return {
    id: r.id,
    mode: r.mode,
    stepIds: JSON.parse(r.step_ids) as string[],
    status: r.status,
    actor: r.actor,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    durationMs: r.finished_at ? Date.parse(r.finished_at) - Date.parse(r.created_at) : null,
    message: r.message,
    rolling: r.rolling ? RolloutPlan.parse(JSON.parse(r.rolling)) : null,
    waiting: r.waiting ? RolloutWait.parse(JSON.parse(r.waiting)) : null,
    nodes: nodes.map((n) => ({ nodeId: n.node_id, name: n.node_name, status: n.status, message: n.message, batch: n.batch })),
  };
}

export function getRun(db: Db, id: string): RunSummary | null {
  const row = db.prepare("SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
  return row ? toSummary(db, row) : null;
}

/** Newest first. With `onlyNodes`, only runs whose every node is among them (a trainee's view). */
export function listRuns(db: Db, limit = 100, onlyNodes?: readonly string[]): RunSummary[] {
  const rows = (
    onlyNodes
      ? db
          .prepare(
            `SELECT * FROM runs r WHERE NOT EXISTS (
               SELECT 1 FROM run_nodes rn WHERE rn.run_id = r.id AND rn.node_id NOT IN (SELECT value FROM json_each(?)))
             ORDER BY created_at DESC, rowid DESC LIMIT ?`,
          )
          .all(JSON.stringify(onlyNodes), limit)
      : db.prepare("SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?").all(limit)
  ) as RunRow[];
  return rows.map((r) => toSummary(db, r));
}

/**
 * At start-up nothing is running: a run still marked running was cut off when the dashboard stopped.
 * Mark it and its unfinished nodes interrupted, each with the step and phase it was on (its last
 * `phase` event), end that step's record as interrupted, write events so the log ends, and an audit
 * row; the node is free for the next run. Nothing is run on the host: an operator checks it and runs
 * the step again (files are written to a temporary name and renamed, so none is half-written).
 */
export function markInterrupted(db: Db): string[] {
  const runs = db.prepare("SELECT id, mode, actor, waiting FROM runs WHERE status = 'running'").all() as {
    id: string;
    mode: RunMode;
    actor: string | null;
    waiting: string | null;
  }[];
  for (const run of runs) {
    db.transaction(() => {
      const open = db
        .prepare("SELECT node_id, node_name FROM run_nodes WHERE run_id = ? AND status IN ('pending', 'running')")
        .all(run.id) as { node_id: string; node_name: string }[];
      const nodes: { nodeId: string; node: string; stepId: string | null; phase: string | null }[] = [];
      const wait = run.waiting ? RolloutWait.parse(JSON.parse(run.waiting)) : null;
      let runMessage = "the dashboard stopped while this run was in flight; nothing more was run. Check the host, then run the step again";
      if (wait) {
        // A rolling run waiting between batches: nothing runs anywhere, so the nodes left never started.
        const why = `the dashboard stopped while the rollout waited ${wait.kind === "canary" ? "for Continue" : "to start the next batch"} after batch ${wait.afterBatch} of ${wait.of}`;
        const names = open.map((o) => o.node_name);
        runMessage = `${why}; not started: ${names.join(", ")}. Start a new run for them`;
        for (const { node_id: nodeId, node_name: node } of open) {
          const message = `not started (${why})`;
          setNodeStatus(db, run.id, nodeId, "skipped", message);
          appendEvent(db, run.id, { type: "node-end", nodeId, stepId: null, status: "skipped", message });
          nodes.push({ nodeId, node, stepId: null, phase: null });
        }
        open.length = 0;
      }
      for (const { node_id: nodeId, node_name: node } of open) {
        const last = db
          .prepare("SELECT data FROM run_events WHERE run_id = ? AND node_id = ? AND type = 'phase' ORDER BY seq DESC LIMIT 1")
          .pluck()
          .get(run.id, nodeId) as string | undefined;
        const at = last ? (JSON.parse(last) as { stepId: string | null; phase: Phase }) : null;
        const stepId = at?.stepId ?? null;
        const where = at ? (stepId ? ` on step ${stepId} (${PHASE_WORDS[at.phase] ?? at.phase})` : ` while ${PHASE_WORDS[at.phase] ?? at.phase}`) : " before it started";
        const message = `the dashboard stopped${where}; nothing more was run. Check the host, then run the step again`;
        setNodeStatus(db, run.id, nodeId, "interrupted", message);
        if (stepId) recordStepOutcome(db, { runId: run.id, nodeId, stepId, mode: run.mode, status: "interrupted", verified: false });
        appendEvent(db, run.id, { type: "node-end", nodeId, stepId, status: "interrupted", message });
        nodes.push({ nodeId, node, stepId, phase: at?.phase ?? null });
      }
      finishRun(db, run.id, "interrupted", runMessage);
      appendEvent(db, run.id, { type: "run-end", nodeId: null, stepId: null, status: "interrupted", message: runMessage });
      recordAudit(db, {
        actor: "system",
        action: "run-interrupted",
        runId: run.id,
        detail: { startedBy: run.actor, mode: run.mode, nodes, ...(wait ? { waiting: wait } : {}) },
      });
    })();
  }
  return runs.map((r) => r.id);
}

/**
 * Where each node stands on each step, from its latest outcomes (cancelled and interrupted runs say
 * nothing about the host). A check that finds a step no longer right after it was done is drift.
 */
export function stepProgress(db: Db, nodeIds: string[], stepIds: readonly string[]): StepProgress[] {
  const rows = db
    .prepare(
      `SELECT run_id, node_id, step_id, mode, status, verified, finished_at FROM run_steps
       WHERE node_id IN (SELECT value FROM json_each(?)) AND status NOT IN ('cancelled', 'interrupted')
       ORDER BY finished_at DESC, rowid DESC`,
    )
    .all(JSON.stringify(nodeIds)) as {
    run_id: string;
    node_id: string;
    step_id: string;
    mode: RunMode;
    status: NodeRunStatus;
    verified: number;
    finished_at: string;
  }[];
  const out: StepProgress[] = [];
  for (const nodeId of nodeIds) {
    for (const stepId of stepIds) {
      const mine = rows.filter((r) => r.node_id === nodeId && r.step_id === stepId);
      const latest = mine[0];
      if (!latest) {
        out.push({ nodeId, stepId, state: "not-started", runId: null, at: null });
        continue;
      }
      const done = (r: (typeof mine)[number]) => r.status === "unchanged" || r.status === "changed";
      let state: StepProgressState;
      if (done(latest)) state = "done";
      else if (latest.mode === "check" && mine.slice(1).some(done)) state = "drift";
      else if (latest.status === "pending-changes") state = "planned";
      else if (latest.status === "blocked") state = "blocked";
      else state = "failed";
      out.push({ nodeId, stepId, state, runId: latest.run_id, at: latest.finished_at });
    }
  }
  return out;
}
