import "server-only";
import { hasRole, type SessionUser } from "@/lib/contracts/auth";
import type { Db } from "../db";
import { AppError } from "../errors";
import { assignedNodeIds } from "./assignments";

// Which nodes a signed-in user may see and touch. Everyone from viewer up sees every node; a trainee
// sees only the practice node(s) assigned to them, everywhere (nodes, health, runs, the wizard, the
// API). Routes open to trainees call these; every other route demands viewer or more, so a trainee
// gets 403 there before any handler runs (server/http/route.ts).

export type NodeScope = { all: true } | { all: false; nodeIds: ReadonlySet<string> };

export function nodeScope(db: Db, user: SessionUser): NodeScope {
  if (hasRole(user.role, "viewer")) return { all: true };
  return { all: false, nodeIds: new Set(assignedNodeIds(db, user.id)) };
}

export const inScope = (scope: NodeScope, nodeId: string): boolean => scope.all || scope.nodeIds.has(nodeId);

/** The ids of these nodes the user may see, in their order (for filtering lists). */
export const visible = <T>(scope: NodeScope, items: readonly T[], nodeIdOf: (item: T) => string): T[] =>
  scope.all ? [...items] : items.filter((i) => scope.nodeIds.has(nodeIdOf(i)));

/**
 * 403 unless every node is the user's to see; `null` is something that does not exist (a run id
 * nobody knows). The same answer whether it exists or not: a trainee learns nothing about other
 * nodes from it, while everyone else then gets the route's 404.
 */
export function requireNodes(db: Db, user: SessionUser, nodeIds: readonly string[] | null, what = "node"): void {
  const scope = nodeScope(db, user);
  if (scope.all || (nodeIds !== null && nodeIds.every((id) => inScope(scope, id)))) return;
  throw new AppError("forbidden", `this ${what} is not on a practice node assigned to you`);
}

/**
 * May this user change these nodes (Apply a step, cancel a run)? Operators and up anywhere; a trainee
 * on their own practice nodes; a viewer nowhere.
 */
export function requireChange(db: Db, user: SessionUser, nodeIds: readonly string[] | null, what: string): void {
  if (hasRole(user.role, "operator")) return;
  if (user.role === "trainee") return requireNodes(db, user, nodeIds, what);
  throw new AppError("forbidden", `${what} needs the operator role; you are ${user.role} (Check is allowed)`);
}
