import "server-only";
import { AppError } from "../errors";
import { randomUUID } from "node:crypto";
import type { HostFacts } from "@/lib/contracts/facts";
import { layerOf, summarize, type HealthColumn, type HealthMatrix, type HealthMatrixUpdate, type NodeHealth, type ScanTrigger } from "@/lib/contracts/health";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { listChecks, listDrift, newestCheckId, nodesCheckedAfter, recordCheck } from "./checks";
import { nodeHistories } from "./latest";
import { matrixRows, type MatrixNode } from "./matrix";
import { createScan, finishScan, getScan, latestScan, markInterruptedScans, setScanNode } from "./scans";
import { scanNodes, type ScannerDeps } from "./scanner";

export interface HealthDeps extends ScannerDeps {
  db: Db;
  /** Every node of the inventory, in display order. */
  listNodes(): MatrixNode[];
  /** The catalog's probes, in catalog order: the matrix's columns. */
  probes(): { id: string; title: string; fixStepId: string | null }[];
  facts(nodeId: string): HostFacts | null;
  concurrency?: number;
  perNodeTimeoutMs?: number;
  /** Checks kept per node (older ones are pruned, except those drift points at). */
  keepChecksPerNode?: number;
}

export const DEFAULT_CONCURRENCY = 8;
/** Connect + the whole batch; a practice node under TCG answers in well under a second. */
export const DEFAULT_NODE_TIMEOUT_MS = 20_000;
/** A day of automatic scans every 15 s is 5760; a week of every-minute scans is 10080. */
export const DEFAULT_KEEP_CHECKS = 10_000;

/** A scan asked for a node that does not exist; the answer names the input it came from. */
export class UnknownNodeError extends AppError {
  constructor(nodeId: string) {
    super("bad_request", `nodeIds: unknown node ${nodeId}`, { field: "nodeIds" });
  }
}

export function createHealthService(deps: HealthDeps) {
  const { db } = deps;
  markInterruptedScans(db);
  let running: { id: string; done: Promise<void> } | null = null;

  const columns = (): HealthColumn[] =>
    deps.probes().map((p) => ({ probeId: p.id, title: p.title, fixStepId: p.fixStepId, layer: layerOf({ probeId: p.id, fixStepId: p.fixStepId }) }));

  /** Starts a scan without waiting for it; one scan at a time (a second request gets the running one). */
  function startScan(input: { nodeIds?: string[]; trigger: ScanTrigger; actor: string | null; rerunAll?: boolean }): { scanId: string; alreadyRunning: boolean; done: Promise<void> } {
    if (running) return { scanId: running.id, alreadyRunning: true, done: running.done };
    const all = deps.listNodes();
    let nodes = all;
    if (input.nodeIds) {
      const byId = new Map(all.map((n) => [n.id, n]));
      const missing = input.nodeIds.find((id) => !byId.has(id));
      if (missing) throw new UnknownNodeError(missing);
      nodes = [...new Set(input.nodeIds)].map((id) => byId.get(id)!);
    }
    const id = randomUUID();
    createScan(db, { id, trigger: input.trigger, actor: input.actor, nodes });
    const probeIds = deps.probes().map((p) => p.id);
    recordAudit(db, { actor: input.actor ?? "system", action: "health-scan", detail: { scanId: id, trigger: input.trigger, nodes: nodes.length, probes: probeIds, rerunAll: input.rerunAll ?? false } });
    const done = scanNodes(nodes, deps, {
      work: { actor: input.actor ?? "system", scanId: id },
      concurrency: deps.concurrency ?? DEFAULT_CONCURRENCY,
      perNodeTimeoutMs: deps.perNodeTimeoutMs ?? DEFAULT_NODE_TIMEOUT_MS,
      rerunAll: input.rerunAll ?? false,
      onProgress: (nodeId, state, extra) => setScanNode(db, id, nodeId, { state, ...extra }),
      record: (node, at, outcome) =>
        recordCheck(db, { scanId: id, nodeId: node.id, nodeName: node.name, at, outcome, keepChecks: deps.keepChecksPerNode ?? DEFAULT_KEEP_CHECKS }),
    })
      .catch((error) => console.error("[health] scan", id, "failed:", error))
      .finally(() => {
        finishScan(db, id);
        running = null;
      });
    running = { id, done };
    return { scanId: id, alreadyRunning: false, done };
  }

  const rows = (nodes: MatrixNode[], cols: HealthColumn[]) => matrixRows(nodes, cols, nodeHistories(db, nodes.map((n) => n.id)));

  /** The matrix; `onlyNodes` limits it (rows and summary) to those nodes, for a trainee. */
  function matrix(onlyNodes?: ReadonlySet<string>): HealthMatrix {
    const cols = columns();
    const version = newestCheckId(db);
    const nodes = rows(deps.listNodes().filter((n) => !onlyNodes || onlyNodes.has(n.id)), cols);
    return { columns: cols, nodes, summary: summarize(nodes), scan: scanView(running ? getScan(db, running.id) : latestScan(db), onlyNodes), version };
  }

  /** Only the rows of nodes checked after `since` (a poll while a scan runs); `onlyNodes` as for matrix(). */
  function matrixSince(since: number, onlyNodes?: ReadonlySet<string>): HealthMatrixUpdate {
    const version = newestCheckId(db);
    const all = deps.listNodes().filter((n) => !onlyNodes || onlyNodes.has(n.id));
    const changed = nodesCheckedAfter(db, since);
    return {
      version,
      order: all.map((n) => n.id),
      nodes: changed.size ? rows(all.filter((n) => changed.has(n.id)), columns()) : [],
      scan: scanView(running ? getScan(db, running.id) : latestScan(db), onlyNodes),
    };
  }

  function nodeHealth(nodeId: string): NodeHealth | null {
    const node = deps.listNodes().find((n) => n.id === nodeId);
    if (!node) return null;
    const cols = columns();
    const facts = deps.facts(nodeId);
    return {
      row: rows([node], cols)[0],
      columns: cols,
      facts,
      factsAt: facts?.gatheredAt ?? null,
      history: listChecks(db, nodeId, 50),
      drift: listDrift(db, { nodeId, limit: 50 }),
      scan: (running ? getScan(db, running.id)?.nodes.find((n) => n.nodeId === nodeId) : null) ?? null,
    };
  }

  return { startScan, matrix, matrixSince, nodeHealth, columns, runningScanId: () => running?.id ?? null };
}

export type HealthService = ReturnType<typeof createHealthService>;

/** A scan as someone limited to some nodes sees it: only their nodes' progress. */
export function scanView<S extends { nodes: { nodeId: string }[] } | null>(scan: S, onlyNodes?: ReadonlySet<string>): S {
  if (!scan || !onlyNodes) return scan;
  return { ...scan, nodes: scan.nodes.filter((n) => onlyNodes.has(n.nodeId)) };
}
