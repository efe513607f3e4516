import { describe, expect, it } from "vitest";
import type { GroupSummary } from "@/lib/contracts/groups";
import type { HealthNodeRow } from "@/lib/contracts/health";
import { arrangeMatrix } from "./matrix-groups";

const row = (id: string, over: Partial<HealthNodeRow> = {}): HealthNodeRow => ({
  nodeId: id,
  name: `node-${id}`,
  address: `10.0.0.${id}`,
  port: 22,
  practice: false,
  lastCheck: null,
  cells: [],
  ready: true,
  openDrift: 0,
  ...over,
});
const group = (id: string, name: string, nodeIds: string[], childIds: string[] = [], allNodeIds = nodeIds): GroupSummary => ({
  id,
  name,
  nodeIds,
  childIds,
  allNodeIds,
  createdAt: "",
  updatedAt: "",
});

const rows = [row("1"), row("2", { ready: false, openDrift: 1 }), row("3"), row("4", { ready: false })];
const web = group("g1", "web", ["1", "2"]);
const db = group("g2", "db", ["2", "3"]);
const prod = group("g3", "prod", [], ["g1", "g2"], ["1", "2", "3"]);

describe("arranging the health matrix", () => {
  it("filters by group (with its children), state and text", () => {
    const base = { groupId: null, status: "all" as const, text: "", byGroup: false };
    expect(arrangeMatrix(rows, [web, db, prod], { ...base, groupId: "g3" }).rows.map((r) => r.nodeId)).toEqual(["1", "2", "3"]);
    expect(arrangeMatrix(rows, [web, db, prod], { ...base, status: "not-ready" }).rows.map((r) => r.nodeId)).toEqual(["2", "4"]);
    expect(arrangeMatrix(rows, [web, db, prod], { ...base, status: "drift" }).rows.map((r) => r.nodeId)).toEqual(["2"]);
    expect(arrangeMatrix(rows, [web, db, prod], { ...base, text: "10.0.0.3" }).rows.map((r) => r.nodeId)).toEqual(["3"]);
  });

  it("one section per group, a node in two groups in both, then the nodes in none; keys stay unique", () => {
    const a = arrangeMatrix(rows, [web, db], { groupId: null, status: "all", text: "", byGroup: true });
    expect(a.sections).toEqual([
      { start: 0, count: 2, title: "group web", ready: 1 },
      { start: 2, count: 2, title: "group db", ready: 1 },
      { start: 4, count: 1, title: "in no group", ready: 0 },
    ]);
    expect(a.rows.map((r) => r.nodeId)).toEqual(["1", "2", "2", "3", "4"]);
    expect(new Set(a.keys).size).toBe(a.keys.length);
  });
});
