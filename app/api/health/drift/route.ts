import { DriftQuery } from "@/lib/contracts/health";
import { nodeScope, requireNodes, visible } from "@/server/auth/scope";
import { db } from "@/server/db";
import { listDrift } from "@/server/health";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/** Drift events, newest first: ?open=1 for the unresolved ones, ?nodeId= for one node (a trainee: their own). */
export const GET = route({ role: "trainee", query: DriftQuery }, ({ query, user }) => {
  if (query.nodeId) requireNodes(db(), user, [query.nodeId]);
  const scope = nodeScope(db(), user);
  // A trainee without ?nodeId= gets their own node's events, never a list that others' events crowd out.
  const nodeIds = query.nodeId ? [query.nodeId] : scope.all ? [undefined] : [...scope.nodeIds];
  const events = nodeIds.flatMap((nodeId) => listDrift(db(), { open: query.open === "1", nodeId, limit: query.limit }));
  return json({ events: visible(scope, events, (e) => e.nodeId) });
});
