import { z } from "zod";
import { hasRole } from "@/lib/contracts/auth";
import { CreateRunBody } from "@/lib/contracts/runs";
import { unknownVersion } from "@/server/artifacts/versions";
import { db } from "@/server/db";
import { HttpError, badRequest } from "@/server/http/errors";
import { json, route } from "@/server/http/route";
import { engine, RunConflictError, UnknownInputError } from "@/server/runs";
import { listRuns } from "@/server/runs/repository";
import { nodesOfGroups } from "@/server/groups/service";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }).strict() }, ({ query }) =>
  json({ runs: listRuns(db(), query.limit ?? 100) }),
);

/**
 * Starts the run without waiting for it: 202 with its id; follow it at /api/runs/:id/events.
 * Viewers (trainees) may run Check, which only reads and plans; Apply needs an operator.
 */
export const POST = route({ role: "viewer", body: CreateRunBody }, ({ body, user }) => {
  if (body.mode === "apply" && !hasRole(user.role, "operator")) {
    throw new HttpError(403, "forbidden", `applying changes needs the operator role; you are ${user.role} (Check is allowed)`);
  }
  // A group selects its nodes now: the run records them, so editing the group later does not change it.
  const { groupIds, ...input } = body;
  const nodeIds = [...new Set([...input.nodeIds, ...nodesOfGroups(db(), groupIds ?? [])])];
  if (nodeIds.length > 1000) throw badRequest(`nodeIds: ${nodeIds.length} nodes selected; a run takes at most 1000`, "nodeIds");
  const unknown = unknownVersion(input.versions);
  if (unknown) throw badRequest(`versions.${unknown.component}: ${unknown.message}`, `versions.${unknown.component}`);
  try {
    const { runId } = engine().start({ ...input, nodeIds, actor: user.name });
    return json({ runId }, { status: 202, headers: { location: `/api/runs/${runId}` } });
  } catch (error) {
    if (error instanceof RunConflictError) throw new HttpError(409, "run_conflict", error.message);
    if (error instanceof UnknownInputError) throw badRequest(error.message);
    throw error;
  }
});
