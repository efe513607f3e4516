import "server-only";
import type { AuditEntry, AuditFilter } from "@/lib/contracts/audit";
import type { Db } from "../db";

interface Row {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  node_id: string | null;
  node_name: string | null;
  run_id: string | null;
  scan_id: string | null;
  step_id: string | null;
  command: string | null;
  script_hash: string | null;
  exit_code: number | null;
  duration_ms: number | null;
  output_bytes: number | null;
  detail: string | null;
}

function parseDetail(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { unparsed: text };
  }
}

const toEntry = (r: Row): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  nodeId: r.node_id,
  nodeName: r.node_name,
  runId: r.run_id,
  scanId: r.scan_id,
  stepId: r.step_id,
  command: r.command,
  scriptHash: r.script_hash,
  exitCode: r.exit_code,
  durationMs: r.duration_ms,
  outputBytes: r.output_bytes,
  detail: parseDetail(r.detail),
});

function where(filter: AuditFilter & { before?: number }): { sql: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (filter.user) {
    clauses.push("a.actor = ? COLLATE NOCASE");
    args.push(filter.user.trim());
  }
  if (filter.node) {
    // A node id, or a node's name (a deleted node's entries keep its id only).
    clauses.push("(a.node_id = ? OR n.name = ? COLLATE NOCASE)");
    args.push(filter.node.trim(), filter.node.trim());
  }
  if (filter.action) {
    clauses.push("a.action = ?");
    args.push(filter.action);
  }
  if (filter.run) {
    clauses.push("a.run_id = ?");
    args.push(filter.run);
  }
  if (filter.scan) {
    clauses.push("a.scan_id = ?");
    args.push(filter.scan);
  }
  // Stored times are ISO UTC with milliseconds; normalise the bounds the same way so text order is time order.
  if (filter.from) {
    clauses.push("a.at >= ?");
    args.push(new Date(filter.from).toISOString());
  }
  if (filter.to) {
    clauses.push("a.at <= ?");
    args.push(new Date(filter.to).toISOString());
  }
  if (filter.before) {
    clauses.push("a.seq < ?");
    args.push(filter.before);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", args };
}

const SELECT = `SELECT a.*, n.name AS node_name FROM audit_log a LEFT JOIN nodes n ON n.id = a.node_id`;

/** Newest first, one page; `nextBefore` continues to older entries. */
export function queryAudit(db: Db, filter: AuditFilter & { before?: number; limit: number }): { entries: AuditEntry[]; nextBefore: number | null } {
  const w = where(filter);
  const rows = db.prepare(`${SELECT} ${w.sql} ORDER BY a.seq DESC LIMIT ?`).all(...w.args, filter.limit + 1) as Row[];
  const more = rows.length > filter.limit;
  const entries = rows.slice(0, filter.limit).map(toEntry);
  return { entries, nextBefore: more ? entries[entries.length - 1].seq : null };
}

/** Every matching entry, oldest first, a page at a time: nothing whole in memory, and no open
 *  statement between pages (better-sqlite3 refuses other queries while an iterator is open). */
export function* iterateAudit(db: Db, filter: AuditFilter, pageSize = 500): Generator<AuditEntry> {
  const w = where(filter);
  const cond = w.sql ? `${w.sql} AND a.seq > ?` : "WHERE a.seq > ?";
  const stmt = db.prepare(`${SELECT} ${cond} ORDER BY a.seq LIMIT ?`);
  let after = 0;
  for (;;) {
    const rows = stmt.all(...w.args, after, pageSize) as Row[];
    for (const row of rows) yield toEntry(row);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].seq;
  }
}

export const CSV_COLUMNS = [
  "seq",
  "at",
  "actor",
  "action",
  "nodeId",
  "nodeName",
  "runId",
  "scanId",
  "stepId",
  "command",
  "scriptHash",
  "exitCode",
  "durationMs",
  "outputBytes",
  "detail",
] as const;

/** RFC 4180 quoting, plus a leading ' on cells a spreadsheet would run as a formula (=, +, -, @):
 *  commands and names come from users and hosts. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let s = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(entry: AuditEntry): string {
  return CSV_COLUMNS.map((c) => csvCell(entry[c])).join(",") + "\r\n";
}
