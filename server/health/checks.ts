import "server-only";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { CheckDetail, CheckSummary, DriftEvent } from "@/lib/contracts/health";
import type { Db } from "../db";
import { judgeCheck, type KnownStatus, type ProbeState } from "./drift";
import { pruneChecks } from "./pruning";
import { Checks, countsFor, storedChecks, toResult, toSummary, type CheckRow, type ResultRow } from "./rows";

// Checks in SQLite: one per node per scan, each probe's verdict with its raw output, the last known
// state per probe, and the drift events judged from it (drift.ts) in the same transaction.

export type CheckOutcome =
  | { reach: "reachable"; results: ProbeResult[]; bootId: string | null; bootedAt: string | null; durationMs: number }
  | { reach: "unreachable"; errorKind: string; message: string; durationMs: number };

/**
 * Store one node's check, and judge drift against the last known state, in one transaction: two
 * scans finishing together cannot both see the same "previous" state.
 */
export function recordCheck(
  db: Db,
  input: { scanId: string | null; nodeId: string; nodeName: string; at: string; outcome: CheckOutcome; keepChecks?: number },
): number {
  const { outcome } = input;
  const id = db.transaction(() => {
    const checkId = Number(
      db
        .prepare(
          `INSERT INTO health_checks (scan_id, node_id, node_name, at, reachable, error_kind, message, duration_ms, boot_id, booted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.scanId,
          input.nodeId,
          input.nodeName,
          input.at,
          outcome.reach === "reachable" ? 1 : 0,
          outcome.reach === "unreachable" ? outcome.errorKind : null,
          outcome.reach === "unreachable" ? outcome.message : null,
          Math.round(outcome.durationMs),
          outcome.reach === "reachable" ? outcome.bootId : null,
          outcome.reach === "reachable" ? outcome.bootedAt : null,
        ).lastInsertRowid,
    );
    if (outcome.reach === "unreachable") return checkId;

    const insert = db.prepare(
      `INSERT INTO health_results (check_id, probe_id, title, status, observed, expected, detail, fix_step_id, checks, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of outcome.results) {
      insert.run(checkId, r.probeId, r.title, r.status, r.observed, r.expected, r.detail, r.fixStepId, JSON.stringify(storedChecks(r)), JSON.stringify(r.raw));
    }

    const previous = probeStates(db, input.nodeId);
    const open = new Set(
      db.prepare("SELECT probe_id FROM health_drift WHERE node_id = ? AND resolved_at IS NULL").pluck().all(input.nodeId) as string[],
    );
    const judged = judgeCheck(previous, outcome.results, { checkId, at: input.at, bootId: outcome.bootId }, open);

    const upsert = db.prepare(
      `INSERT INTO health_probe_state (node_id, probe_id, status, check_id, at, last_ok_check_id, last_ok_at, last_ok_boot_id)
       VALUES (@nodeId, @probeId, @status, @checkId, @at, @lastOkCheckId, @lastOkAt, @lastOkBootId)
       ON CONFLICT (node_id, probe_id) DO UPDATE SET status = excluded.status, check_id = excluded.check_id, at = excluded.at,
         last_ok_check_id = excluded.last_ok_check_id, last_ok_at = excluded.last_ok_at, last_ok_boot_id = excluded.last_ok_boot_id`,
    );
    for (const [probeId, s] of judged.next) upsert.run({ nodeId: input.nodeId, probeId, ...s });

    const byId = new Map(outcome.results.map((r) => [r.probeId, r]));
    const addDrift = db.prepare(
      `INSERT INTO health_drift (node_id, node_name, probe_id, probe_title, fix_step_id, detected_at, check_id, last_ok_at, last_ok_check_id,
         to_status, observed, expected, checks, rebooted, booted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const d of judged.drift) {
      const r = byId.get(d.probeId)!;
      addDrift.run(
        input.nodeId,
        input.nodeName,
        d.probeId,
        r.title,
        r.fixStepId,
        input.at,
        checkId,
        d.lastOkAt,
        d.lastOkCheckId,
        d.toStatus,
        r.observed,
        r.expected,
        JSON.stringify(r.checks),
        d.rebooted ? 1 : 0,
        d.rebooted ? outcome.bootedAt : null,
      );
    }
    const resolve = db.prepare(
      "UPDATE health_drift SET resolved_at = ?, resolved_check_id = ? WHERE node_id = ? AND probe_id = ? AND resolved_at IS NULL",
    );
    for (const probeId of judged.resolved) resolve.run(input.at, checkId, input.nodeId, probeId);
    return checkId;
  })();
  if (input.keepChecks) pruneChecks(db, input.nodeId, input.keepChecks);
  return id;
}

export function probeStates(db: Db, nodeId: string): Map<string, ProbeState> {
  const rows = db.prepare("SELECT * FROM health_probe_state WHERE node_id = ?").all(nodeId) as {
    probe_id: string;
    status: KnownStatus;
    check_id: number;
    at: string;
    last_ok_check_id: number | null;
    last_ok_at: string | null;
    last_ok_boot_id: string | null;
  }[];
  return new Map(
    rows.map((r) => [
      r.probe_id,
      { status: r.status, checkId: r.check_id, at: r.at, lastOkCheckId: r.last_ok_check_id, lastOkAt: r.last_ok_at, lastOkBootId: r.last_ok_boot_id },
    ]),
  );
}

export function getCheck(db: Db, id: number): CheckDetail | null {
  const row = db.prepare("SELECT * FROM health_checks WHERE id = ?").get(id) as CheckRow | undefined;
  if (!row) return null;
  const results = (db.prepare("SELECT * FROM health_results WHERE check_id = ? ORDER BY rowid").all(id) as ResultRow[]).map(toResult);
  return { ...toSummary(row, countsFor(db, [id]).get(id)!), results };
}

export function listChecks(db: Db, nodeId: string, limit = 50): CheckSummary[] {
  const rows = db.prepare("SELECT * FROM health_checks WHERE node_id = ? ORDER BY id DESC LIMIT ?").all(nodeId, limit) as CheckRow[];
  const counts = countsFor(db, rows.map((r) => r.id));
  return rows.map((r) => toSummary(r, counts.get(r.id)!));
}

// ---- drift ----

interface DriftRow {
  id: number;
  node_id: string;
  node_name: string;
  probe_id: string;
  probe_title: string;
  fix_step_id: string | null;
  detected_at: string;
  check_id: number;
  last_ok_at: string;
  to_status: "warn" | "fail";
  observed: string;
  expected: string;
  checks: string;
  rebooted: number;
  booted_at: string | null;
  resolved_at: string | null;
  resolved_observed: string | null;
}

export function listDrift(db: Db, filter: { open?: boolean; nodeId?: string; limit?: number } = {}): DriftEvent[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.open) where.push("d.resolved_at IS NULL");
  if (filter.nodeId) {
    where.push("d.node_id = ?");
    args.push(filter.nodeId);
  }
  const rows = db
    // What the check that resolved it saw (pruning keeps that check): "was: ..., now: ...".
    .prepare(
      `SELECT d.*, r.observed AS resolved_observed FROM health_drift d
       LEFT JOIN health_results r ON r.check_id = d.resolved_check_id AND r.probe_id = d.probe_id
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY d.id DESC LIMIT ?`,
    )
    .all(...args, filter.limit ?? 200) as DriftRow[];
  return rows.map((r) => ({
    id: r.id,
    nodeId: r.node_id,
    nodeName: r.node_name,
    probeId: r.probe_id,
    probeTitle: r.probe_title,
    fixStepId: r.fix_step_id,
    detectedAt: r.detected_at,
    checkId: r.check_id,
    lastOkAt: r.last_ok_at,
    toStatus: r.to_status,
    observed: r.observed,
    expected: r.expected,
    checks: Checks.parse(JSON.parse(r.checks)),
    rebooted: r.rebooted === 1,
    bootedAt: r.booted_at,
    resolvedAt: r.resolved_at,
    resolvedObserved: r.resolved_observed,
  }));
}

/** The newest check's id (0 when there is none): the matrix's version. */
export function newestCheckId(db: Db): number {
  return (db.prepare("SELECT MAX(id) FROM health_checks").pluck().get() as number | null) ?? 0;
}

/** The nodes with a check newer than `since` (what a poll during a scan must refresh). */
export function nodesCheckedAfter(db: Db, since: number): Set<string> {
  return new Set(db.prepare("SELECT DISTINCT node_id FROM health_checks WHERE id > ?").pluck().all(since) as string[]);
}
