import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../db";

process.env.NODEPREP_SECRET_KEY ??= randomBytes(32).toString("base64");

let db: Db;
let svc: typeof import("./service");
let ids: string[];

beforeEach(async () => {
  const { openDb } = await import("../db");
  db = openDb(":memory:");
  svc = await import("./service");
  const { insertNode } = await import("../nodes/repository");
  ids = ["a", "b", "c"].map((n) => insertNode(db, { name: n, address: "10.0.0.1", port: 22, username: "ops", authMethod: "dashboard-key", privilege: "root", practice: false }).id);
});

const input = (name: string, nodeIds: string[] = [], childIds: string[] = []) => ({ name, nodeIds, childIds });

describe("groups", () => {
  it("a group selects its nodes and its children's, without repeats", () => {
    const web = svc.createGroup(db, input("web", [ids[0], ids[1]]), "alice");
    const db_ = svc.createGroup(db, input("db", [ids[1], ids[2]]), "alice");
    const prod = svc.createGroup(db, input("prod", [], [web.id, db_.id]), "alice");
    expect(prod.allNodeIds.sort()).toEqual([...ids].sort());
    expect(svc.nodesOfGroups(db, [web.id, db_.id])).toEqual([ids[0], ids[1], ids[2]]);
    expect(() => svc.nodesOfGroups(db, ["5b0e7a3c-6a51-4c5e-9d1f-2a7c1d9e0b11"])).toThrow(/no group/);
  });

  it("refuses a group inside itself, through any depth, and names the loop", () => {
    const a = svc.createGroup(db, input("a"), null);
    const b = svc.createGroup(db, input("b", [], [a.id]), null);
    const c = svc.createGroup(db, input("c", [], [b.id]), null);
    expect(() => svc.updateGroup(db, a.id, input("a", [], [c.id]), null)).toThrow("childIds: a contains c contains b contains a: a group cannot contain itself");
    expect(() => svc.updateGroup(db, a.id, input("a", [], [a.id]), null)).toThrow(/cannot contain itself/);
  });

  it("names are unique; unknown members are refused; a removed node leaves its groups", async () => {
    svc.createGroup(db, input("web", [ids[0]]), null);
    expect(() => svc.createGroup(db, input("web"), null)).toThrow(/already exists/);
    expect(() => svc.createGroup(db, input("x", ["5b0e7a3c-6a51-4c5e-9d1f-2a7c1d9e0b11"]), null)).toThrow(/no node/);
    const { deleteNode } = await import("../nodes/repository");
    deleteNode(db, ids[0]);
    const { listGroups } = await import("./repository");
    expect(listGroups(db)[0].nodeIds).toEqual([]);
  });
});
