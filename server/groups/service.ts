import "server-only";
import type { GroupInput, GroupSummary } from "@/lib/contracts/groups";
import { GroupInput as GroupInputSchema } from "@/lib/contracts/groups";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { AppError, notFound } from "../errors";
import { deleteGroup, getGroup, insertGroup, listGroups, renameGroup, setGroupContents } from "./repository";

// Groups as the API changes them: names unique, members and children that exist, no group inside
// itself (directly or through its children), every change in the audit log.

type Parsed = ReturnType<typeof GroupInputSchema.parse>;

/** Would `parent` contain itself if it held `childIds`? Returns the cycle as names, or null. */
export function findCycle(groups: readonly Pick<GroupSummary, "id" | "name" | "childIds">[], parentId: string, childIds: readonly string[]): string[] | null {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const walk = (id: string, path: string[]): string[] | null => {
    if (id === parentId) return path;
    for (const c of byId.get(id)?.childIds ?? []) {
      const found = walk(c, [...path, byId.get(c)?.name ?? c]);
      if (found) return found;
    }
    return null;
  };
  for (const c of childIds) {
    const found = walk(c, [byId.get(parentId)?.name ?? parentId, byId.get(c)?.name ?? c]);
    if (found) return found;
  }
  return null;
}

function check(db: Db, id: string | null, input: Parsed): void {
  const groups = listGroups(db);
  const clash = groups.find((g) => g.name === input.name && g.id !== id);
  if (clash) throw new AppError("conflict", `a group named ${input.name} already exists`, { field: "name" });
  const known = new Set(db.prepare("SELECT id FROM nodes").pluck().all() as string[]);
  const unknownNode = input.nodeIds.find((n) => !known.has(n));
  if (unknownNode) throw new AppError("invalid_input", `nodeIds: no node ${unknownNode}`, { field: "nodeIds" });
  const groupIds = new Set(groups.map((g) => g.id));
  const unknownGroup = input.childIds.find((c) => !groupIds.has(c));
  if (unknownGroup) throw new AppError("invalid_input", `childIds: no group ${unknownGroup}`, { field: "childIds" });
  if (id && input.childIds.includes(id)) throw new AppError("invalid_input", "childIds: a group cannot contain itself", { field: "childIds" });
  if (id) {
    const cycle = findCycle(groups, id, input.childIds);
    if (cycle) throw new AppError("invalid_input", `childIds: ${cycle.join(" contains ")}: a group cannot contain itself`, { field: "childIds" });
  }
}

export function createGroup(db: Db, input: Parsed, actor: string | null): GroupSummary {
  return db.transaction(() => {
    check(db, null, input);
    const id = insertGroup(db, input.name);
    setGroupContents(db, id, input.nodeIds, input.childIds);
    recordAudit(db, { actor, action: "group-created", detail: { groupId: id, name: input.name, nodes: input.nodeIds.length, children: input.childIds } });
    return getGroup(db, id)!;
  })();
}

export function updateGroup(db: Db, id: string, input: Parsed, actor: string | null): GroupSummary {
  return db.transaction(() => {
    const before = getGroup(db, id);
    if (!before) throw notFound(`group ${id}`);
    check(db, id, input);
    if (before.name !== input.name) renameGroup(db, id, input.name);
    setGroupContents(db, id, input.nodeIds, input.childIds);
    const added = input.nodeIds.filter((n) => !before.nodeIds.includes(n));
    const removed = before.nodeIds.filter((n) => !input.nodeIds.includes(n));
    recordAudit(db, {
      actor,
      action: "group-updated",
      detail: { groupId: id, name: input.name, ...(before.name !== input.name ? { was: before.name } : {}), added, removed, children: input.childIds },
    });
    return getGroup(db, id)!;
  })();
}

export function removeGroup(db: Db, id: string, actor: string | null): void {
  db.transaction(() => {
    const group = getGroup(db, id);
    if (!group) throw notFound(`group ${id}`);
    deleteGroup(db, id);
    recordAudit(db, { actor, action: "group-removed", detail: { groupId: id, name: group.name } });
  })();
}

/**
 * The nodes of these groups (with their children), in the inventory's order, without repeats; an
 * unknown group id is an error naming it. Runs and scans select by group through this.
 */
export function nodesOfGroups(db: Db, groupIds: readonly string[]): string[] {
  const groups = new Map(listGroups(db).map((g) => [g.id, g]));
  const out = new Set<string>();
  for (const id of groupIds) {
    const g = groups.get(id);
    if (!g) throw new AppError("invalid_input", `groupIds: no group ${id}`, { field: "groupIds" });
    for (const n of g.allNodeIds) out.add(n);
  }
  return [...out];
}

export type { GroupInput };
