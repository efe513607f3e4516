import "server-only";
import { z } from "zod";
import { ProbeCheck, ProbeData, RawOutput, type ProbeResult } from "@/lib/contracts/catalog";
import type { CheckSummary } from "@/lib/contracts/health";
import type { Db } from "../db";

// The stored shapes of health checks and probe results, and how a row becomes the API's value (its
// JSON columns parsed with zod). Shared by the repositories of this folder.

export interface CheckRow {
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

export interface ResultRow {
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

export function countsFor(db: Db, ids: number[]): Map<number, CheckSummary["counts"]> {
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

export function chunks<T>(list: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function toSummary(r: CheckRow, counts: CheckSummary["counts"]): CheckSummary {
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

export const Checks = z.array(ProbeCheck);
export const Raw = z.array(RawOutput);

// A result's checks column holds its checks and its data together (rows written before data existed
// hold the bare array of checks).
const StoredChecks = z.union([
  z.object({ checks: Checks, data: ProbeData.nullable() }),
  Checks.transform((checks) => ({ checks, data: null })),
]);
export const storedChecks = (r: ProbeResult): z.input<typeof StoredChecks> => ({ checks: r.checks, data: r.data });

export function toResult(r: ResultRow): ProbeResult {
  return {
    probeId: r.probe_id,
    title: r.title,
    status: r.status,
    observed: r.observed,
    expected: r.expected,
    detail: r.detail,
    fixStepId: r.fix_step_id,
    ...StoredChecks.parse(JSON.parse(r.checks)),
    raw: Raw.parse(JSON.parse(r.raw)),
  };
}
