import "server-only";
import { randomUUID } from "node:crypto";
import { AttemptOp, Grade, type AttemptState } from "@/lib/contracts/training";
import type { Db } from "../db";
import { abandonOpenAttempts } from "../practice/open-attempts";

// Attempts at scenarios in SQLite (table scenario_attempts). Their stored JSON (the operation in
// progress, the last grade) is parsed with zod when read back.

export interface Attempt {
  id: string;
  userId: string;
  scenarioId: string;
  nodeId: string;
  nodeName: string;
  state: AttemptState;
  startedAt: string;
  readyAt: string | null;
  passedAt: string | null;
  hintsOpened: number;
  solutionViewed: boolean;
  checks: number;
  op: AttemptOp | null;
  lastCheck: Grade | null;
  lastCheckAt: string | null;
}

interface Row {
  id: string;
  user_id: string;
  scenario_id: string;
  node_id: string;
  node_name: string;
  state: AttemptState;
  started_at: string;
  ready_at: string | null;
  passed_at: string | null;
  hints_opened: number;
  solution_viewed: number;
  checks: number;
  op: string | null;
  last_check: string | null;
  last_check_at: string | null;
}

const toAttempt = (r: Row): Attempt => ({
  id: r.id,
  userId: r.user_id,
  scenarioId: r.scenario_id,
  nodeId: r.node_id,
  nodeName: r.node_name,
  state: r.state,
  startedAt: r.started_at,
  readyAt: r.ready_at,
  passedAt: r.passed_at,
  hintsOpened: r.hints_opened,
  solutionViewed: r.solution_viewed === 1,
  checks: r.checks,
  op: r.op ? AttemptOp.parse(JSON.parse(r.op)) : null,
  lastCheck: r.last_check ? Grade.parse(JSON.parse(r.last_check)) : null,
  lastCheckAt: r.last_check_at,
});

/** A new attempt; any other attempt of anyone on that node that was still open is abandoned (the node is reset). */
export function createAttempt(db: Db, a: { userId: string; scenarioId: string; nodeId: string; nodeName: string; op: AttemptOp }): string {
  const id = randomUUID();
  db.transaction(() => {
    abandonOpenAttempts(db, a.nodeId);
    db.prepare(
      "INSERT INTO scenario_attempts (id, user_id, scenario_id, node_id, node_name, state, started_at, op) VALUES (?, ?, ?, ?, ?, 'preparing', ?, ?)",
    ).run(id, a.userId, a.scenarioId, a.nodeId, a.nodeName, a.op.startedAt, JSON.stringify(a.op));
  })();
  return id;
}

export function getAttempt(db: Db, id: string): Attempt | null {
  const row = db.prepare("SELECT * FROM scenario_attempts WHERE id = ?").get(id) as Row | undefined;
  return row ? toAttempt(row) : null;
}

export function latestAttempt(db: Db, userId: string, scenarioId: string): Attempt | null {
  const row = db
    .prepare("SELECT * FROM scenario_attempts WHERE user_id = ? AND scenario_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1")
    .get(userId, scenarioId) as Row | undefined;
  return row ? toAttempt(row) : null;
}

/** Every attempt of these users (all when omitted), oldest first: progress is computed from them. */
export function listAttempts(db: Db, userIds?: readonly string[]): Attempt[] {
  const rows = (
    userIds
      ? db.prepare("SELECT * FROM scenario_attempts WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY started_at, rowid").all(JSON.stringify(userIds))
      : db.prepare("SELECT * FROM scenario_attempts ORDER BY started_at, rowid").all()
  ) as Row[];
  return rows.map(toAttempt);
}

export function setOp(db: Db, id: string, op: AttemptOp): void {
  db.prepare("UPDATE scenario_attempts SET op = ? WHERE id = ?").run(JSON.stringify(op), id);
}

export function setState(db: Db, id: string, state: AttemptState, at: { readyAt?: string; passedAt?: string } = {}): void {
  db.prepare("UPDATE scenario_attempts SET state = ?, ready_at = COALESCE(?, ready_at), passed_at = COALESCE(?, passed_at) WHERE id = ?").run(
    state,
    at.readyAt ?? null,
    at.passedAt ?? null,
    id,
  );
}

/** Store a grade; `counted` is a trainee's own check (the first check after the fault is not theirs). */
export function recordGrade(db: Db, id: string, grade: Grade, counted: boolean): void {
  db.prepare("UPDATE scenario_attempts SET last_check = ?, last_check_at = ?, checks = checks + ? WHERE id = ?").run(JSON.stringify(grade), grade.at, counted ? 1 : 0, id);
}

export function openHint(db: Db, id: string, total: number): number {
  db.prepare("UPDATE scenario_attempts SET hints_opened = MIN(hints_opened + 1, ?) WHERE id = ?").run(total, id);
  return getAttempt(db, id)!.hintsOpened;
}

export function viewSolution(db: Db, id: string): void {
  db.prepare("UPDATE scenario_attempts SET solution_viewed = 1 WHERE id = ?").run(id);
}

/** At start-up: a start or check that was running in a previous process will never finish. */
export function markInterruptedAttempts(db: Db): number {
  const rows = db.prepare("SELECT id, op FROM scenario_attempts WHERE op LIKE '%\"status\":\"running\"%'").all() as { id: string; op: string }[];
  const now = new Date().toISOString();
  for (const r of rows) {
    const op = AttemptOp.parse(JSON.parse(r.op));
    if (op.status !== "running") continue;
    setOp(db, r.id, { ...op, status: "failed", message: "the dashboard restarted during this; start or check again", finishedAt: now });
    db.prepare("UPDATE scenario_attempts SET state = 'failed-to-start' WHERE id = ? AND state = 'preparing'").run(r.id);
  }
  return rows.length;
}
