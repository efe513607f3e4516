import "server-only";
import { randomUUID } from "node:crypto";
import type { GroupSummary } from "@/lib/contracts/groups";
import type { Db } from "../db";

// Groups in SQLite: node_groups, their direct members and their child groups (migration 0120).

interface GroupRow {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

/** Everything at once (three queries, whatever the number of groups): the lists join in memory. */
export function listGroups(db: Db): GroupSummary[] {
  const rows = db.prepare("SELECT * FROM node_groups ORDER BY name").all() as GroupRow[];
  const members = new Map<string, string[]>();
  for (const m of db.prepare("SELECT m.group_id, m.node_id FROM node_group_members m JOIN nodes n ON n.id = m.node_id ORDER BY n.name").all() as {
    group_id: string;
    node_id: string;
  }[]) {
    (members.get(m.group_id) ?? members.set(m.group_id, []).get(m.group_id)!).push(m.node_id);
  }
  const children = new Map<string, string[]>();
  for (const c of db.prepare("SELECT c.parent_id, c.child_id FROM node_group_children c JOIN node_groups g ON g.id = c.child_id ORDER BY g.name").all() as {
    parent_id: string;
    child_id: string;
  }[]) {
    (children.get(c.parent_id) ?? children.set(c.parent_id, []).get(c.parent_id)!).push(c.child_id);
  }
  const all = (id: string, seen = new Set<string>()): Set<string> => {
    const out = new Set(members.get(id) ?? []);
    seen.add(id);
    for (const child of children.get(id) ?? []) {
      if (seen.has(child)) continue; // the service refuses cycles; a hand-edited database must not loop
      for (const n of all(child, seen)) out.add(n);
    }
    return out;
  };
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    nodeIds: members.get(r.id) ?? [],
    childIds: children.get(r.id) ?? [],
    allNodeIds: [...all(r.id)],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export function getGroup(db: Db, id: string): GroupSummary | null {
  return listGroups(db).find((g) => g.id === id) ?? null;
}

export function getGroupByName(db: Db, name: string): GroupSummary | null {
  return listGroups(db).find((g) => g.name === name) ?? null;
}

export function insertGroup(db: Db, name: string): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  db.prepare("INSERT INTO node_groups (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)").run(id, name, now, now);
  return id;
}

export function renameGroup(db: Db, id: string, name: string): void {
  db.prepare("UPDATE node_groups SET name = ?, updated_at = ? WHERE id = ?").run(name, new Date().toISOString(), id);
}

/** Replace the group's direct members and children with exactly these. */
export function setGroupContents(db: Db, id: string, nodeIds: readonly string[], childIds: readonly string[]): void {
  db.prepare("DELETE FROM node_group_members WHERE group_id = ?").run(id);
  db.prepare("DELETE FROM node_group_children WHERE parent_id = ?").run(id);
  const member = db.prepare("INSERT INTO node_group_members (group_id, node_id) VALUES (?, ?)");
  for (const n of new Set(nodeIds)) member.run(id, n);
  const child = db.prepare("INSERT INTO node_group_children (parent_id, child_id) VALUES (?, ?)");
  for (const c of new Set(childIds)) child.run(id, c);
  db.prepare("UPDATE node_groups SET updated_at = ? WHERE id = ?").run(new Date().toISOString(), id);
}

export function deleteGroup(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM node_groups WHERE id = ?").run(id).changes > 0;
}
