import "server-only";
import type { Db } from "../db";

// Which practice node each trainee works on (table trainee_nodes). An authorization fact: the scope of
// everything a trainee may see or touch is read from here (scope.ts); training and practice write it.

export interface Assignment {
  userId: string;
  nodeId: string;
  assignedAt: string;
  assignedBy: string | null;
}

interface Row {
  user_id: string;
  node_id: string;
  assigned_at: string;
  assigned_by: string | null;
}

const toAssignment = (r: Row): Assignment => ({ userId: r.user_id, nodeId: r.node_id, assignedAt: r.assigned_at, assignedBy: r.assigned_by });

export function assignedNodeIds(db: Db, userId: string): string[] {
  return db.prepare("SELECT node_id FROM trainee_nodes WHERE user_id = ?").pluck().all(userId) as string[];
}

export function listAssignments(db: Db): Assignment[] {
  return (db.prepare("SELECT * FROM trainee_nodes").all() as Row[]).map(toAssignment);
}

export function assignmentOfNode(db: Db, nodeId: string): Assignment | null {
  const row = db.prepare("SELECT * FROM trainee_nodes WHERE node_id = ?").get(nodeId) as Row | undefined;
  return row ? toAssignment(row) : null;
}

/** Give a trainee this node (replacing the one they had); the caller checks the node is free. */
export function assignNode(db: Db, userId: string, nodeId: string, by: string | null): void {
  db.prepare(
    `INSERT INTO trainee_nodes (user_id, node_id, assigned_at, assigned_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET node_id = excluded.node_id, assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by`,
  ).run(userId, nodeId, new Date().toISOString(), by);
}

export function unassign(db: Db, userId: string): void {
  db.prepare("DELETE FROM trainee_nodes WHERE user_id = ?").run(userId);
}
