import { StartScanBody } from "@/lib/contracts/health";
import { nodeScope, requireNodes } from "@/server/auth/scope";
import { db } from "@/server/db";
import { health } from "@/server/health";
import { badRequest } from "@/server/errors";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/**
 * Start a scan (read-only probes, so a viewer may, and a trainee on their own node): 202 with its id,
 * or the running scan's id when one is already in progress. Follow it with GET /api/health (per-node
 * progress) or /api/health/scans/:id.
 */
export const POST = route({ role: "trainee", body: StartScanBody }, ({ body, user }) => {
  const scope = nodeScope(db(), user);
  if (body.nodeIds) requireNodes(db(), user, body.nodeIds);
  // Without a list: every node, or a trainee's own.
  const nodeIds = body.nodeIds ?? (scope.all ? undefined : [...scope.nodeIds]);
  if (nodeIds && nodeIds.length === 0) throw badRequest("nodeIds: no practice node is assigned to you yet: ask your trainer", "nodeIds");
  const { scanId, alreadyRunning } = health().startScan({ nodeIds, trigger: body.trigger, rerunAll: body.rerunAll, actor: user.name });
  return json({ scanId, alreadyRunning }, { status: alreadyRunning ? 200 : 202, headers: { location: `/api/health/scans/${scanId}` } });
});
