import { describe, expect, it } from "vitest";
import type { CheckSummary, HealthColumn } from "@/lib/contracts/health";
import { summarize as matrixSummary } from "@/lib/contracts/health";
import { matrixRows, type MatrixNode, type NodeHistory, type StoredVerdict } from "./matrix";

// The matrix from histories alone, no database: what each cell says and when a node counts as ready.

const node = (id: string): MatrixNode => ({ id, name: id, address: "10.0.0.1", port: 22, practice: false });
const column = (probeId: string): HealthColumn => ({ probeId, title: probeId, fixStepId: null, layer: "other" });
const COLUMNS = [column("swap-off"), column("cni-plugins")];

const summary = (id: number, reach: CheckSummary["reach"], message: string | null = null): CheckSummary => ({
  id,
  scanId: null,
  nodeId: "n",
  nodeName: "n",
  at: `2025-01-01T00:00:0${id}.000Z`,
  reach,
  errorKind: reach === "unreachable" ? "timeout" : null,
  message,
  durationMs: 10,
  bootId: null,
  bootedAt: null,
  counts: { ok: 0, warn: 0, fail: 0, unknown: 0 },
});
const verdict = (status: StoredVerdict["status"], observed: string): StoredVerdict => ({ status, observed, expected: "none", detail: `${observed}.` });
const reachable = (id: number, verdicts: Record<string, StoredVerdict>) => ({ id, at: summary(id, "reachable").at, verdicts: new Map(Object.entries(verdicts)) });

describe("the health matrix (pure)", () => {
  it("a node never checked: every cell unknown, not ready, counted as never checked", () => {
    const rows = matrixRows([node("a")], COLUMNS, new Map());
    expect(rows[0]).toMatchObject({ lastCheck: null, ready: false, openDrift: 0 });
    expect(rows[0].cells).toEqual(COLUMNS.map((c) => ({ probeId: c.probeId, state: "unknown", observed: "not checked yet", expected: "", detail: "Scan the node to run this probe.", checkId: null, at: null, lastKnown: null })));
    expect(matrixSummary(rows)).toEqual({ ready: 0, total: 1, unreachable: 0, neverChecked: 1 });
  });

  it("a reachable check: each cell is the probe's verdict from it; ok and warn make the node ready", () => {
    const history: NodeHistory = { last: summary(1, "reachable"), lastReachable: reachable(1, { "swap-off": verdict("ok", "no active swap"), "cni-plugins": verdict("warn", "odd") }), openDrift: 2 };
    const [row] = matrixRows([node("a")], COLUMNS, new Map([["a", history]]));
    expect(row.cells[0]).toEqual({ probeId: "swap-off", state: "ok", observed: "no active swap", expected: "none", detail: "no active swap.", checkId: 1, at: history.last.at, lastKnown: null });
    expect(row).toMatchObject({ ready: true, openDrift: 2, lastCheck: history.last });
    const failing = { ...history, lastReachable: reachable(1, { "swap-off": verdict("fail", "swap on"), "cni-plugins": verdict("ok", "all") }) };
    expect(matrixRows([node("a")], COLUMNS, new Map([["a", failing]]))[0].ready).toBe(false);
  });

  it("a probe the last check did not run (added since): unknown, 'a newer probe', and the node is not ready", () => {
    const history: NodeHistory = { last: summary(1, "reachable"), lastReachable: reachable(1, { "swap-off": verdict("ok", "no active swap") }), openDrift: 0 };
    const [row] = matrixRows([node("a")], COLUMNS, new Map([["a", history]]));
    expect(row.cells[1]).toMatchObject({ state: "unknown", observed: "not checked yet (a newer probe)", checkId: null });
    expect(row.ready).toBe(false);
  });

  it("unreachable now: every cell says why, with the last answer and its verdict when there was one", () => {
    const history: NodeHistory = { last: summary(2, "unreachable", "node-a did not answer within 20 s"), lastReachable: reachable(1, { "swap-off": verdict("ok", "no active swap") }), openDrift: 0 };
    const rows = matrixRows([node("a")], COLUMNS, new Map([["a", history]]));
    expect(rows[0].cells).toEqual([
      { probeId: "swap-off", state: "unreachable", observed: "node-a did not answer within 20 s", expected: "none", detail: "Last answer: no active swap", checkId: 1, at: history.last.at, lastKnown: "ok" },
      { probeId: "cni-plugins", state: "unreachable", observed: "node-a did not answer within 20 s", expected: "", detail: "No answer yet from this node.", checkId: null, at: history.last.at, lastKnown: null },
    ]);
    expect(rows[0].ready).toBe(false);
    expect(matrixSummary(rows)).toEqual({ ready: 0, total: 1, unreachable: 1, neverChecked: 0 });
  });

  it("rows follow the nodes' order, each with its own history", () => {
    const ok: NodeHistory = { last: summary(3, "reachable"), lastReachable: reachable(3, { "swap-off": verdict("ok", "x"), "cni-plugins": verdict("ok", "y") }), openDrift: 0 };
    const rows = matrixRows([node("b"), node("a")], COLUMNS, new Map([["a", ok]]));
    expect(rows.map((r) => [r.nodeId, r.ready])).toEqual([["b", false], ["a", true]]);
    expect(matrixSummary(rows)).toEqual({ ready: 1, total: 2, unreachable: 0, neverChecked: 1 });
  });
});
