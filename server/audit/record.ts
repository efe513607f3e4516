import "server-only";
import type { Db } from "../db";

export interface AuditEntry {
  actor: string | null;
  action: string;
  nodeId?: string | null;
  runId?: string | null;
  stepId?: string | null;
  /** Already redacted by the caller (the SSH layer redacts every secret it knows). */
  command?: string | null;
  exitCode?: number | null;
  durationMs?: number | null;
  outputBytes?: number | null;
  detail?: Record<string, unknown> | null;
}

export function recordAudit(db: Db, entry: AuditEntry): void {
  db.prepare(
    `INSERT INTO audit_log (at, actor, action, node_id, run_id, step_id, command, exit_code, duration_ms, output_bytes, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    new Date().toISOString(),
    entry.actor,
    entry.action,
    entry.nodeId ?? null,
    entry.runId ?? null,
    entry.stepId ?? null,
    entry.command ?? null,
    entry.exitCode ?? null,
    entry.durationMs ?? null,
    entry.outputBytes ?? null,
    entry.detail ? JSON.stringify(entry.detail) : null,
  );
}
