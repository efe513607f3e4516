import "server-only";
import { z } from "zod";
import { ProbeCheck, RawOutput, type ProbeResult } from "@/lib/contracts/catalog";
import type {
  CheckDetail,
  CheckSummary,
  DriftEvent,
  HealthCell,
  HealthColumn,
  HealthNodeRow,
  ScanNodeState,
  ScanTrigger,
  ScanView,
} from "@/lib/contracts/health";
import type { PreviousOutput } from "../catalog";
import type { Db } from "../db";
import { judgeCheck, type KnownStatus, type ProbeState } from "./drift";

// Health history in SQLite: scans and their per-node progress, checks (one per node per scan), each
// probe's verdict with its raw output, the last known state per probe, and drift events.

// ---- scans ----

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

// ---- checks ----

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
      insert.run(checkId, r.probeId, r.title, r.status, r.observed, r.expected, r.detail, r.fixStepId, JSON.stringify(r.checks), JSON.stringify(r.raw));
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

/**
 * Retention: a node's newest `keep` checks stay, older ones go (their results with them), except the
 * checks drift events and the last known state point at, so every drift keeps its evidence.
 */
export function pruneChecks(db: Db, nodeId: string, keep: number): number {
  return db
    .prepare(
      `DELETE FROM health_checks WHERE node_id = @nodeId
         AND id < (SELECT id FROM health_checks WHERE node_id = @nodeId ORDER BY id DESC LIMIT 1 OFFSET @offset)
         AND id NOT IN (SELECT check_id FROM health_drift WHERE node_id = @nodeId)
         AND id NOT IN (SELECT last_ok_check_id FROM health_drift WHERE node_id = @nodeId)
         AND id NOT IN (SELECT resolved_check_id FROM health_drift WHERE node_id = @nodeId AND resolved_check_id IS NOT NULL)
         AND id NOT IN (SELECT check_id FROM health_probe_state WHERE node_id = @nodeId)
         AND id NOT IN (SELECT last_ok_check_id FROM health_probe_state WHERE node_id = @nodeId AND last_ok_check_id IS NOT NULL)`,
    )
    .run({ nodeId, offset: keep - 1 }).changes;
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

interface CheckRow {
  id: number;
  scan_id: string | null;
  node_id: string;
  node_name: string;
  at: string;
  reachable: number;
  error_kind: string | null;
  message: string | null;
  duration_ms: number;
  boot_id: string | null;
  booted_at: string | null;
}

interface ResultRow {
  check_id: number;
  probe_id: string;
  title: string;
  status: ProbeResult["status"];
  observed: string;
  expected: string;
  detail: string;
  fix_step_id: string | null;
  checks: string;
  raw: string;
}

function countsFor(db: Db, ids: number[]): Map<number, CheckSummary["counts"]> {
  const out = new Map<number, CheckSummary["counts"]>();
  for (const id of ids) out.set(id, { ok: 0, warn: 0, fail: 0, unknown: 0 });
  for (const part of chunks(ids)) {
    const rows = db
      .prepare(`SELECT check_id, status, COUNT(*) AS n FROM health_results WHERE check_id IN (${part.map(() => "?").join(",")}) GROUP BY check_id, status`)
      .all(...part) as { check_id: number; status: keyof CheckSummary["counts"]; n: number }[];
    for (const r of rows) out.get(r.check_id)![r.status] = r.n;
  }
  return out;
}

function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function toSummary(r: CheckRow, counts: CheckSummary["counts"]): CheckSummary {
  return {
    id: r.id,
    scanId: r.scan_id,
    nodeId: r.node_id,
    nodeName: r.node_name,
    at: r.at,
    reach: r.reachable ? "reachable" : "unreachable",
    errorKind: r.error_kind,
    message: r.message,
    durationMs: r.duration_ms,
    bootId: r.boot_id,
    bootedAt: r.booted_at,
    counts,
  };
}

const Checks = z.array(ProbeCheck);
const Raw = z.array(RawOutput);

function toResult(r: ResultRow): ProbeResult {
  return {
    probeId: r.probe_id,
    title: r.title,
    status: r.status,
    observed: r.observed,
    expected: r.expected,
    detail: r.detail,
    fixStepId: r.fix_step_id,
    checks: Checks.parse(JSON.parse(r.checks)),
    raw: Raw.parse(JSON.parse(r.raw)),
  };
}

/**
 * The raw outputs of the node's last reachable check that carry their inputs, by command: the next
 * scan reuses each one while its inputs read the same (catalog/inputs.ts).
 */
export function previousOutputs(db: Db, nodeId: string): Map<string, PreviousOutput> {
  const out = new Map<string, PreviousOutput>();
  const check = db.prepare("SELECT id, at FROM health_checks WHERE node_id = ? AND reachable = 1 ORDER BY id DESC LIMIT 1").get(nodeId) as
    | { id: number; at: string }
    | undefined;
  if (!check) return out;
  for (const row of db.prepare("SELECT raw FROM health_results WHERE check_id = ?").all(check.id) as { raw: string }[]) {
    for (const raw of Raw.parse(JSON.parse(row.raw))) {
      if (raw.inputs !== undefined) out.set(raw.command, { ...raw, inputs: raw.inputs, ranAt: raw.ranAt ?? check.at });
    }
  }
  return out;
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

// ---- the matrix ----

export interface MatrixNode {
  id: string;
  name: string;
  address: string;
  port: number;
  practice: boolean;
}

/** Rows of the matrix for these nodes and columns: each node's latest check, last known verdicts. */
export function healthRows(db: Db, nodes: readonly MatrixNode[], columns: readonly HealthColumn[]): HealthNodeRow[] {
  const latest = new Map(
    (db.prepare("SELECT * FROM health_checks WHERE id IN (SELECT MAX(id) FROM health_checks GROUP BY node_id)").all() as CheckRow[]).map((r) => [r.node_id, r]),
  );
  const latestReachable = new Map(
    (
      db.prepare("SELECT * FROM health_checks WHERE id IN (SELECT MAX(id) FROM health_checks WHERE reachable = 1 GROUP BY node_id)").all() as CheckRow[]
    ).map((r) => [r.node_id, r]),
  );
  const wanted = nodes.flatMap((n) => {
    const r = latestReachable.get(n.id);
    return r ? [r.id] : [];
  });
  const results = new Map<number, Map<string, Omit<ResultRow, "checks" | "raw">>>();
  for (const part of chunks(wanted)) {
    const rows = db
      .prepare(
        `SELECT check_id, probe_id, title, status, observed, expected, detail, fix_step_id FROM health_results WHERE check_id IN (${part.map(() => "?").join(",")})`,
      )
      .all(...part) as Omit<ResultRow, "checks" | "raw">[];
    for (const r of rows) {
      if (!results.has(r.check_id)) results.set(r.check_id, new Map());
      results.get(r.check_id)!.set(r.probe_id, r);
    }
  }
  const latestIds = nodes.flatMap((n) => (latest.get(n.id) ? [latest.get(n.id)!.id] : []));
  const counts = countsFor(db, latestIds);
  const openDrift = new Map(
    (db.prepare("SELECT node_id, COUNT(*) AS n FROM health_drift WHERE resolved_at IS NULL GROUP BY node_id").all() as { node_id: string; n: number }[]).map(
      (r) => [r.node_id, r.n],
    ),
  );

  return nodes.map((n): HealthNodeRow => {
    const last = latest.get(n.id);
    const reachable = latestReachable.get(n.id);
    const known = reachable ? results.get(reachable.id) : undefined;
    const cells = columns.map((c): HealthCell => {
      const r = known?.get(c.probeId);
      if (last && !last.reachable) {
        return {
          probeId: c.probeId,
          state: "unreachable",
          observed: last.message ?? "unreachable",
          expected: r?.expected ?? "",
          detail: r ? `Last answer: ${r.observed}` : "No answer yet from this node.",
          checkId: r ? reachable!.id : null,
          at: last.at,
          lastKnown: r?.status ?? null,
        };
      }
      if (!r) {
        return {
          probeId: c.probeId,
          state: "unknown",
          observed: last ? "not checked yet (a newer probe)" : "not checked yet",
          expected: "",
          detail: "Scan the node to run this probe.",
          checkId: null,
          at: null,
          lastKnown: null,
        };
      }
      return { probeId: c.probeId, state: r.status, observed: r.observed, expected: r.expected, detail: r.detail, checkId: reachable!.id, at: reachable!.at, lastKnown: null };
    });
    return {
      nodeId: n.id,
      name: n.name,
      address: n.address,
      port: n.port,
      practice: n.practice,
      lastCheck: last ? toSummary(last, counts.get(last.id)!) : null,
      cells,
      ready: !!last && last.reachable === 1 && cells.every((c) => c.state === "ok" || c.state === "warn"),
      openDrift: openDrift.get(n.id) ?? 0,
    };
  });
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
