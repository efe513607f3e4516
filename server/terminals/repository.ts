import "server-only";
import { randomUUID } from "node:crypto";
import type { TerminalInputLog, TerminalSession } from "@/lib/contracts/terminals";
import type { Db } from "../db";

// Terminal sessions and, for practice nodes, what was typed in them (a trainer's replay).

interface Row {
  id: string;
  node_id: string;
  node_name: string | null;
  actor: string;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  bytes_in: number;
  bytes_out: number;
}

const SELECT = `SELECT t.*, n.name AS node_name FROM terminal_sessions t LEFT JOIN nodes n ON n.id = t.node_id`;

const toSession = (r: Row): TerminalSession => ({
  id: r.id,
  nodeId: r.node_id,
  nodeName: r.node_name,
  actor: r.actor,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  bytesIn: r.bytes_in,
  bytesOut: r.bytes_out,
});

export function startSession(db: Db, s: { nodeId: string; actor: string }, now = new Date()): TerminalSession {
  const id = randomUUID();
  db.prepare("INSERT INTO terminal_sessions (id, node_id, actor, started_at) VALUES (?, ?, ?, ?)").run(id, s.nodeId, s.actor, now.toISOString());
  return getSession(db, id)!;
}

export function getSession(db: Db, id: string): TerminalSession | null {
  const r = db.prepare(`${SELECT} WHERE t.id = ?`).get(id) as Row | undefined;
  return r ? toSession(r) : null;
}

export function listSessions(db: Db, filter: { nodeId?: string; limit?: number } = {}): TerminalSession[] {
  const rows = (filter.nodeId
    ? db.prepare(`${SELECT} WHERE t.node_id = ? ORDER BY t.started_at DESC LIMIT ?`).all(filter.nodeId, filter.limit ?? 50)
    : db.prepare(`${SELECT} ORDER BY t.started_at DESC LIMIT ?`).all(filter.limit ?? 50)) as Row[];
  return rows.map(toSession);
}

/** Keep one piece of input (a key, or a paste), `atMs` after the session started. */
export function appendInput(db: Db, sessionId: string, atMs: number, data: string): void {
  db.prepare(
    "INSERT INTO terminal_input (session_id, seq, at_ms, data) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM terminal_input WHERE session_id = ?), ?, ?)",
  ).run(sessionId, sessionId, Math.max(0, Math.round(atMs)), data);
}

export function endSession(db: Db, id: string, end: { reason: string; bytesIn: number; bytesOut: number }, now = new Date()): void {
  db.prepare("UPDATE terminal_sessions SET ended_at = ?, end_reason = ?, bytes_in = ?, bytes_out = ? WHERE id = ? AND ended_at IS NULL").run(
    now.toISOString(),
    end.reason,
    end.bytesIn,
    end.bytesOut,
    id,
  );
}

/** Sessions still open when the dashboard stopped: ended now, with that as the reason. */
export function endOrphanedSessions(db: Db, now = new Date()): number {
  return db.prepare("UPDATE terminal_sessions SET ended_at = ?, end_reason = 'the dashboard stopped' WHERE ended_at IS NULL").run(now.toISOString()).changes;
}

export function inputLog(db: Db, sessionId: string): TerminalInputLog | null {
  const session = getSession(db, sessionId);
  if (!session) return null;
  const input = db.prepare("SELECT at_ms AS atMs, data FROM terminal_input WHERE session_id = ? ORDER BY seq").all(sessionId) as { atMs: number; data: string }[];
  return { session, input };
}
