import "server-only";
import type { ScanNodeState, ScanTrigger, ScanView } from "@/lib/contracts/health";
import type { Db } from "../db";

// Scans in SQLite: one row per scan, and each node's progress in it (queued, connecting, probing,
// done or unreachable), so a reload or another browser follows the same scan.

export function createScan(db: Db, scan: { id: string; trigger: ScanTrigger; actor: string | null; nodes: { id: string; name: string }[] }): void {
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare("INSERT INTO health_scans (id, trigger, actor, status, started_at) VALUES (?, ?, ?, 'running', ?)").run(scan.id, scan.trigger, scan.actor, now);
    const insert = db.prepare("INSERT INTO health_scan_nodes (scan_id, node_id, node_name, position, state) VALUES (?, ?, ?, ?, 'queued')");
    scan.nodes.forEach((n, i) => insert.run(scan.id, n.id, n.name, i));
  })();
}

export function setScanNode(
  db: Db,
  scanId: string,
  nodeId: string,
  update: { state: ScanNodeState; message?: string | null; durationMs?: number | null; checkId?: number | null },
): void {
  db.prepare(
    `UPDATE health_scan_nodes SET state = @state, message = @message, duration_ms = @durationMs, check_id = @checkId
     WHERE scan_id = @scanId AND node_id = @nodeId`,
  ).run({ scanId, nodeId, state: update.state, message: update.message ?? null, durationMs: update.durationMs ?? null, checkId: update.checkId ?? null });
}

export function finishScan(db: Db, scanId: string): void {
  db.prepare("UPDATE health_scans SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running'").run(new Date().toISOString(), scanId);
}

/** At start-up: scans that were running in a previous process will never finish. */
export function markInterruptedScans(db: Db): number {
  const now = new Date().toISOString();
  return db.transaction(() => {
    db.prepare(
      `UPDATE health_scan_nodes SET state = 'unreachable', message = 'the dashboard restarted during the scan'
       WHERE state IN ('queued', 'connecting', 'probing') AND scan_id IN (SELECT id FROM health_scans WHERE status = 'running')`,
    ).run();
    return db.prepare("UPDATE health_scans SET status = 'interrupted', finished_at = ? WHERE status = 'running'").run(now).changes;
  })();
}

interface ScanRow {
  id: string;
  trigger: ScanTrigger;
  actor: string | null;
  status: ScanView["status"];
  started_at: string;
  finished_at: string | null;
}

export function getScan(db: Db, id: string): ScanView | null {
  const row = db.prepare("SELECT * FROM health_scans WHERE id = ?").get(id) as ScanRow | undefined;
  if (!row) return null;
  const nodes = db
    .prepare("SELECT node_id, node_name, state, message, duration_ms, check_id FROM health_scan_nodes WHERE scan_id = ? ORDER BY position")
    .all(id) as { node_id: string; node_name: string; state: ScanNodeState; message: string | null; duration_ms: number | null; check_id: number | null }[];
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    actor: row.actor,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    nodes: nodes.map((n) => ({ nodeId: n.node_id, name: n.node_name, state: n.state, message: n.message, durationMs: n.duration_ms, checkId: n.check_id })),
  };
}

export function latestScan(db: Db): ScanView | null {
  const id = db.prepare("SELECT id FROM health_scans ORDER BY started_at DESC, rowid DESC LIMIT 1").pluck().get() as string | undefined;
  return id ? getScan(db, id) : null;
}
