import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "../db";

export interface AuditEntry {
  actor: string | null;
  action: string;
  nodeId?: string | null;
  runId?: string | null;
  scanId?: string | null;
  stepId?: string | null;
  /** Already redacted by the caller (the SSH layer redacts every secret it knows). */
  command?: string | null;
  /** A script stored with storeScript(): the row shows `command` (a label) and refers to the text. */
  scriptHash?: string | null;
  exitCode?: number | null;
  durationMs?: number | null;
  outputBytes?: number | null;
  detail?: Record<string, unknown> | null;
}

export function recordAudit(db: Db, entry: AuditEntry): void {
  db.prepare(
    `INSERT INTO audit_log (at, actor, action, node_id, run_id, scan_id, step_id, command, script_hash, exit_code, duration_ms, output_bytes, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    new Date().toISOString(),
    entry.actor,
    entry.action,
    entry.nodeId ?? null,
    entry.runId ?? null,
    entry.scanId ?? null,
    entry.stepId ?? null,
    entry.command ?? null,
    entry.scriptHash ?? null,
    entry.exitCode ?? null,
    entry.durationMs ?? null,
    entry.outputBytes ?? null,
    entry.detail ? JSON.stringify(entry.detail) : null,
  );
}

export const scriptHash = (text: string) => createHash("sha256").update(text).digest("hex");

/** Store a script's text once (already redacted); returns the sha256 that audit rows refer to. */
export function storeScript(db: Db, text: string): string {
  const hash = scriptHash(text);
  db.prepare("INSERT OR IGNORE INTO audit_scripts (hash, text, first_seen) VALUES (?, ?, ?)").run(hash, text, new Date().toISOString());
  return hash;
}

export function getScript(db: Db, hash: string): { hash: string; text: string; firstSeen: string } | null {
  const row = db.prepare("SELECT hash, text, first_seen FROM audit_scripts WHERE hash = ?").get(hash) as { hash: string; text: string; first_seen: string } | undefined;
  return row ? { hash: row.hash, text: row.text, firstSeen: row.first_seen } : null;
}
