import { describe, expect, it } from "vitest";
import type { GroupSummary } from "@/lib/contracts/groups";
import { filterNodes, groupsByNode } from "./filter";

const nodes = [
  { id: "a", name: "web-1", address: "10.0.0.1" },
  { id: "b", name: "web-2", address: "10.0.0.2" },
  { id: "c", name: "db-1", address: "192.0.2.5" },
];
const group = (name: string, nodeIds: string[], allNodeIds = nodeIds): GroupSummary => ({ id: name, name, nodeIds, childIds: [], allNodeIds, createdAt: "", updatedAt: "" });

describe("the node filters", () => {
  it("by name or address, case-insensitive, and by group with its children", () => {
    expect(filterNodes(nodes, " WEB ").map((n) => n.id)).toEqual(["a", "b"]);
    expect(filterNodes(nodes, "192.0").map((n) => n.id)).toEqual(["c"]);
    expect(filterNodes(nodes, "", group("prod", [], ["a", "c"])).map((n) => n.id)).toEqual(["a", "c"]);
    expect(filterNodes(nodes, "web", group("prod", [], ["a", "c"])).map((n) => n.id)).toEqual(["a"]);
  });

  it("each node's direct groups", () => {
    expect(Object.fromEntries(groupsByNode([group("web", ["a", "b"]), group("all-dbs", ["c", "a"])]))).toEqual({ a: ["web", "all-dbs"], b: ["web"], c: ["all-dbs"] });
  });
});
