import "server-only";
import { randomUUID } from "node:crypto";
import type { NodeSummary } from "@/lib/contracts/nodes";
import type { Db } from "../db";

interface NodeRow {
  id: string;
  name: string;
  address: string;
  port: number;
  username: string;
  auth_method: NodeSummary["authMethod"];
  privilege: NodeSummary["privilege"];
  practice: number;
  created_at: string;
  updated_at: string;
}

const toSummary = (r: NodeRow): NodeSummary => ({
  id: r.id,
  name: r.name,
  address: r.address,
  port: r.port,
  username: r.username,
  authMethod: r.auth_method,
  privilege: r.privilege,
  practice: r.practice === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function listNodes(db: Db): NodeSummary[] {
  return (db.prepare("SELECT * FROM nodes ORDER BY practice DESC, name").all() as NodeRow[]).map(toSummary);
}

export function getNode(db: Db, id: string): NodeSummary | null {
  const row = db.prepare("SELECT * FROM nodes WHERE id = ?").get(id) as NodeRow | undefined;
  return row ? toSummary(row) : null;
}

export type NewNode = Omit<NodeSummary, "id" | "createdAt" | "updatedAt">;

export function insertNode(db: Db, node: NewNode): NodeSummary {
  const now = new Date().toISOString();
  const id = randomUUID();
  db.prepare(
    `INSERT INTO nodes (id, name, address, port, username, auth_method, privilege, practice, created_at, updated_at)
     VALUES (@id, @name, @address, @port, @username, @authMethod, @privilege, @practice, @now, @now)`,
  ).run({ ...node, id, practice: node.practice ? 1 : 0, now });
  return getNode(db, id)!;
}
