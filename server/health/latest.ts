import "server-only";
import type { Db } from "../db";
import type { NodeHistory, StoredVerdict } from "./matrix";
import { chunks, countsFor, toSummary, type CheckRow, type ResultRow } from "./rows";

/** What the matrix shows of these nodes (matrix.ts): each one's latest check and last known verdicts. */
export function nodeHistories(db: Db, nodeIds: readonly string[]): Map<string, NodeHistory> {
  const latest = new Map(
    (db.prepare("SELECT * FROM health_checks WHERE id IN (SELECT MAX(id) FROM health_checks GROUP BY node_id)").all() as CheckRow[]).map((r) => [r.node_id, r]),
  );
  const latestReachable = new Map(
    (
      db.prepare("SELECT * FROM health_checks WHERE id IN (SELECT MAX(id) FROM health_checks WHERE reachable = 1 GROUP BY node_id)").all() as CheckRow[]
    ).map((r) => [r.node_id, r]),
  );
  const wanted = nodeIds.flatMap((id) => {
    const r = latestReachable.get(id);
    return r ? [r.id] : [];
  });
  const verdicts = new Map<number, Map<string, StoredVerdict>>();
  for (const part of chunks(wanted)) {
    const rows = db
      .prepare(`SELECT check_id, probe_id, status, observed, expected, detail FROM health_results WHERE check_id IN (${part.map(() => "?").join(",")})`)
      .all(...part) as Pick<ResultRow, "check_id" | "probe_id" | "status" | "observed" | "expected" | "detail">[];
    for (const r of rows) {
      if (!verdicts.has(r.check_id)) verdicts.set(r.check_id, new Map());
      verdicts.get(r.check_id)!.set(r.probe_id, { status: r.status, observed: r.observed, expected: r.expected, detail: r.detail });
    }
  }
  const counts = countsFor(db, nodeIds.flatMap((id) => (latest.get(id) ? [latest.get(id)!.id] : [])));
  const openDrift = new Map(
    (db.prepare("SELECT node_id, COUNT(*) AS n FROM health_drift WHERE resolved_at IS NULL GROUP BY node_id").all() as { node_id: string; n: number }[]).map(
      (r) => [r.node_id, r.n],
    ),
  );
  const out = new Map<string, NodeHistory>();
  for (const id of nodeIds) {
    const last = latest.get(id);
    if (!last) continue;
    const reachable = latestReachable.get(id);
    out.set(id, {
      last: toSummary(last, counts.get(last.id)!),
      lastReachable: reachable ? { id: reachable.id, at: reachable.at, verdicts: verdicts.get(reachable.id) ?? new Map() } : null,
      openDrift: openDrift.get(id) ?? 0,
    });
  }
  return out;
}
