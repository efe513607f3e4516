import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { OpEvent, type PracticeOp, type PracticeOpKind, type PracticeOpStatus } from "@/lib/contracts/practice";
import type { Db } from "../db";

// Practice-node operations in SQLite (table practice_ops): the Practice page follows their phases and
// a reload or a restart does not lose them (in-flight ones become "interrupted" at start-up).

interface OpRow {
  id: string;
  node_number: number;
  kind: PracticeOpKind;
  status: PracticeOpStatus;
  actor: string | null;
  reason: string | null;
  events: string;
  message: string | null;
  started_at: string;
  finished_at: string | null;
}

const Events = z.array(OpEvent);

const toOp = (r: OpRow): PracticeOp => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  actor: r.actor,
  reason: r.reason,
  events: Events.parse(JSON.parse(r.events)),
  message: r.message,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export function createOp(db: Db, op: { number: number; kind: PracticeOpKind; actor: string | null; reason?: string | null }): string {
  const id = randomUUID();
  db.prepare("INSERT INTO practice_ops (id, node_number, kind, status, actor, reason, started_at) VALUES (?, ?, ?, 'running', ?, ?, ?)").run(
    id,
    op.number,
    op.kind,
    op.actor,
    op.reason ?? null,
    new Date().toISOString(),
  );
  return id;
}

export function addOpEvent(db: Db, id: string, message: string): void {
  const event = JSON.stringify({ at: new Date().toISOString(), message });
  db.prepare("UPDATE practice_ops SET events = json_insert(events, '$[#]', json(?)) WHERE id = ?").run(event, id);
}

export function finishOp(db: Db, id: string, status: Exclude<PracticeOpStatus, "running">, message: string): void {
  db.prepare("UPDATE practice_ops SET status = ?, message = ?, finished_at = ? WHERE id = ? AND status = 'running'").run(status, message, new Date().toISOString(), id);
}

export function getOp(db: Db, id: string): (PracticeOp & { number: number }) | null {
  const row = db.prepare("SELECT * FROM practice_ops WHERE id = ?").get(id) as OpRow | undefined;
  return row ? { ...toOp(row), number: row.node_number } : null;
}

/** Each node's latest operation, by node number. */
export function latestOps(db: Db): Map<number, PracticeOp> {
  const rows = db
    .prepare(
      `SELECT * FROM practice_ops o WHERE started_at = (SELECT MAX(started_at) FROM practice_ops p WHERE p.node_number = o.node_number)
       ORDER BY node_number, rowid DESC`,
    )
    .all() as OpRow[];
  const out = new Map<number, PracticeOp>();
  for (const r of rows) if (!out.has(r.node_number)) out.set(r.node_number, toOp(r));
  return out;
}

/** At start-up: an operation still marked running was cut off by a restart. */
export function markInterruptedOps(db: Db): number {
  return db
    .prepare("UPDATE practice_ops SET status = 'interrupted', message = 'the dashboard restarted during this operation', finished_at = ? WHERE status = 'running'")
    .run(new Date().toISOString()).changes;
}

// ---- activity (the idle stop) ----

export function touchActivity(db: Db, nodeId: string, at = new Date()): void {
  db.prepare("INSERT INTO practice_activity (node_id, at) VALUES (?, ?) ON CONFLICT (node_id) DO UPDATE SET at = MAX(at, excluded.at)").run(nodeId, at.toISOString());
}

/** When someone last used the node: an operation, a scenario or a run on it. */
export function lastActivity(db: Db, nodeId: string): string | null {
  return db
    .prepare(
      `SELECT MAX(at) FROM (
         SELECT at FROM practice_activity WHERE node_id = @nodeId
         UNION ALL SELECT r.created_at FROM runs r JOIN run_nodes rn ON rn.run_id = r.id WHERE rn.node_id = @nodeId
         UNION ALL SELECT COALESCE(r.finished_at, r.created_at) FROM runs r JOIN run_nodes rn ON rn.run_id = r.id WHERE rn.node_id = @nodeId
       )`,
    )
    .pluck()
    .get({ nodeId }) as string | null;
}
