import { z } from "zod";
import { CreateRunBody } from "@/lib/contracts/runs";
import { unknownVersion } from "@/server/artifacts/versions";
import { nodeScope, requireChange, requireNodes } from "@/server/auth/scope";
import { db } from "@/server/db";
import { badRequest, forbidden } from "@/server/errors";
import { json, route } from "@/server/http/route";
import { engine } from "@/server/runs";
import { listRuns } from "@/server/runs/repository";
import { nodesOfGroups } from "@/server/groups/service";

export const dynamic = "force-dynamic";

export const GET = route({ role: "trainee", query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }).strict() }, ({ query, user }) => {
  const scope = nodeScope(db(), user);
  return json({ runs: listRuns(db(), query.limit ?? 100, scope.all ? undefined : [...scope.nodeIds]) });
});

/**
 * Starts the run without waiting for it: 202 with its id; follow it at /api/runs/:id/events.
 * Viewers may run Check, which only reads and plans; Apply needs an operator. A trainee may Check and
 * Apply, on their own practice node only.
 */
export const POST = route({ role: "trainee", body: CreateRunBody }, ({ body, user }) => {
  // A trainee works on their own practice node, never through groups (which they cannot see).
  if (body.groupIds?.length && user.role === "trainee") throw forbidden("groups are not for trainees: name your practice node");
  // A group selects its nodes now: the run records them, so editing the group later does not change it.
  const { groupIds, ...input } = body;
  const nodeIds = [...new Set([...input.nodeIds, ...nodesOfGroups(db(), groupIds ?? [])])];
  if (nodeIds.length > 1000) throw badRequest(`nodeIds: ${nodeIds.length} nodes selected; a run takes at most 1000`, "nodeIds");
  const unknown = unknownVersion(input.versions);
  if (unknown) throw badRequest(`versions.${unknown.component}: ${unknown.message}`, `versions.${unknown.component}`);
  requireNodes(db(), user, nodeIds);
  if (body.mode === "apply") requireChange(db(), user, nodeIds, "applying changes");
  const { runId } = engine().start({ ...input, nodeIds, actor: user.name });
  return json({ runId }, { status: 202, headers: { location: `/api/runs/${runId}` } });
});
