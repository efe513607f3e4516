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

/** Who, what, where: the columns an audit row and a command in flight share. */
const WHO_WHAT = "actor, action, node_id, run_id, scan_id, step_id, command, script_hash";
const whoWhat = (e: Omit<AuditEntry, "exitCode" | "durationMs" | "outputBytes" | "detail">) => [
  e.actor,
  e.action,
  e.nodeId ?? null,
  e.runId ?? null,
  e.scanId ?? null,
  e.stepId ?? null,
  e.command ?? null,
  e.scriptHash ?? null,
];

export function recordAudit(db: Db, entry: AuditEntry): void {
  db.prepare(`INSERT INTO audit_log (at, ${WHO_WHAT}, exit_code, duration_ms, output_bytes, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    new Date().toISOString(),
    ...whoWhat(entry),
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

/** A command starts on a host: kept until it ends (see migration 0071); returns its id for `commandEnded`. */
export function commandStarted(db: Db, entry: Omit<AuditEntry, "exitCode" | "durationMs" | "outputBytes">): number {
  const r = db
    .prepare(`INSERT INTO commands_in_flight (started_at, ${WHO_WHAT}, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(new Date().toISOString(), ...whoWhat(entry), entry.detail ? JSON.stringify(entry.detail) : null);
  return Number(r.lastInsertRowid);
}

/** The command ended (its audit row is written by the caller). */
export function commandEnded(db: Db, id: number): void {
  db.prepare("DELETE FROM commands_in_flight WHERE id = ?").run(id);
}

/**
 * At start-up nothing runs: commands still listed were cut off when the dashboard stopped. Each becomes
 * an audit row with no exit code that says so (the host may have finished it, or not).
 */
export function recordInterruptedCommands(db: Db): number {
  const rows = db.prepare("SELECT * FROM commands_in_flight ORDER BY id").all() as {
    id: number; started_at: string; actor: string | null; action: string; node_id: string | null; run_id: string | null; scan_id: string | null;
    step_id: string | null; command: string | null; script_hash: string | null; detail: string | null;
  }[];
  db.transaction(() => {
    for (const r of rows) {
      recordAudit(db, {
        actor: r.actor,
        action: r.action,
        nodeId: r.node_id,
        runId: r.run_id,
        scanId: r.scan_id,
        stepId: r.step_id,
        command: r.command,
        scriptHash: r.script_hash,
        exitCode: null,
        detail: { ...(r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {}), interrupted: `the dashboard stopped while this ran (started ${r.started_at}); its end is unknown` },
      });
      db.prepare("DELETE FROM commands_in_flight WHERE id = ?").run(r.id);
    }
  })();
  return rows.length;
}
