import "server-only";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { CheckSummary, HealthCell, HealthColumn, HealthNodeRow } from "@/lib/contracts/health";

// The health matrix from each node's history: pure, so what a cell says in every case (never checked,
// unreachable with a last known answer, a probe newer than the last check) is tested without a
// database (matrix.test.ts). latest.ts reads the histories from SQLite.

export interface MatrixNode {
  id: string;
  name: string;
  address: string;
  port: number;
  practice: boolean;
}

/** What a cell shows of a stored verdict. */
export type StoredVerdict = Pick<ProbeResult, "status" | "observed" | "expected" | "detail">;

/** What the matrix needs of one node's history. */
export interface NodeHistory {
  /** Its latest check, reachable or not. */
  last: CheckSummary;
  /** Its latest reachable check (maybe the same) and each probe's verdict there. */
  lastReachable: { id: number; at: string; verdicts: ReadonlyMap<string, StoredVerdict> } | null;
  /** Drift events not resolved yet. */
  openDrift: number;
}

function cell(probeId: string, history: NodeHistory | undefined): HealthCell {
  const reachable = history?.lastReachable ?? null;
  const r = reachable?.verdicts.get(probeId);
  const last = history?.last;
  if (last && last.reach === "unreachable") {
    return {
      probeId,
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
      probeId,
      state: "unknown",
      observed: last ? "not checked yet (a newer probe)" : "not checked yet",
      expected: "",
      detail: "Scan the node to run this probe.",
      checkId: null,
      at: null,
      lastKnown: null,
    };
  }
  return { probeId, state: r.status, observed: r.observed, expected: r.expected, detail: r.detail, checkId: reachable!.id, at: reachable!.at, lastKnown: null };
}

/** One row per node, one cell per column; a node without history (never checked) has no entry. */
export function matrixRows(nodes: readonly MatrixNode[], columns: readonly HealthColumn[], histories: ReadonlyMap<string, NodeHistory>): HealthNodeRow[] {
  return nodes.map((n): HealthNodeRow => {
    const history = histories.get(n.id);
    const cells = columns.map((c) => cell(c.probeId, history));
    return {
      nodeId: n.id,
      name: n.name,
      address: n.address,
      port: n.port,
      practice: n.practice,
      lastCheck: history?.last ?? null,
      cells,
      ready: history?.last.reach === "reachable" && cells.every((c) => c.state === "ok" || c.state === "warn"),
      openDrift: history?.openDrift ?? 0,
    };
  });
}

