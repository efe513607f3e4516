import "server-only";
import type { ReportAuditEntry } from "@/lib/contracts/report";
import { RunEvent, type NodeRunStatus, type RunMode } from "@/lib/contracts/runs";
import type { Db } from "../db";

// What a node's report reads from the runs and the audit log: only the rows of one node, and of a run
// only the events it needs (a run's log may hold thousands of output lines).

export interface StepRunRow {
  runId: string;
  stepId: string;
  mode: RunMode;
  status: NodeRunStatus;
  finishedAt: string;
  actor: string | null;
}

/** Per step, the latest outcome on this node (cancelled and interrupted runs say nothing about the host). */
export function latestStepRuns(db: Db, nodeId: string): Map<string, StepRunRow> {
  return latestBy(db, nodeId, "rs.status NOT IN ('cancelled', 'interrupted')");
}

/** Per step, the latest apply on this node that changed something. */
export function latestChanges(db: Db, nodeId: string): Map<string, StepRunRow> {
  return latestBy(db, nodeId, "rs.status = 'changed'");
}

function latestBy(db: Db, nodeId: string, where: string): Map<string, StepRunRow> {
  const rows = db
    .prepare(
      `SELECT rs.run_id AS runId, rs.step_id AS stepId, rs.mode, rs.status, rs.finished_at AS finishedAt, r.actor
       FROM run_steps rs JOIN runs r ON r.id = rs.run_id
       WHERE rs.node_id = ? AND ${where}
       ORDER BY rs.finished_at DESC, rs.rowid DESC`,
    )
    .all(nodeId) as StepRunRow[];
  const out = new Map<string, StepRunRow>();
  for (const r of rows) if (!out.has(r.stepId)) out.set(r.stepId, r);
  return out;
}

type EventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** One node's events of these types in a run, for one step, parsed at the boundary. */
export function stepEvents<T extends RunEvent["type"]>(db: Db, runId: string, nodeId: string, stepId: string, types: readonly T[]): EventOf<T>[] {
  const rows = db
    .prepare(
      `SELECT seq, at, data FROM run_events WHERE run_id = ? AND node_id = ? AND type IN (SELECT value FROM json_each(?)) ORDER BY seq`,
    )
    .all(runId, nodeId, JSON.stringify(types)) as { seq: number; at: string; data: string }[];
  return rows.map((r) => RunEvent.parse({ ...JSON.parse(r.data), seq: r.seq, at: r.at })).filter((e): e is EventOf<T> => e.stepId === stepId && (types as readonly string[]).includes(e.type));
}

/** The commands the audit log holds for this node and step in these runs, oldest first. */
export function stepAudit(db: Db, runIds: readonly string[], nodeId: string, stepId: string): ReportAuditEntry[] {
  if (runIds.length === 0) return [];
  return db
    .prepare(
      `SELECT seq, at, run_id AS runId, command, exit_code AS exitCode FROM audit_log
       WHERE action = 'command' AND node_id = ? AND step_id = ? AND run_id IN (SELECT value FROM json_each(?)) AND command IS NOT NULL
       ORDER BY seq`,
    )
    .all(nodeId, stepId, JSON.stringify(runIds)) as ReportAuditEntry[];
}
