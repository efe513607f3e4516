import { StartScanBody } from "@/lib/contracts/health";
import { health, UnknownNodeError } from "@/server/health";
import { badRequest } from "@/server/http/errors";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/**
 * Start a scan (read-only probes, so a viewer may): 202 with its id, or the running scan's id when one
 * is already in progress. Follow it with GET /api/health (per-node progress) or /api/health/scans/:id.
 */
export const POST = route({ role: "viewer", body: StartScanBody }, ({ body, user }) => {
  try {
    const { scanId, alreadyRunning } = health().startScan({ nodeIds: body.nodeIds, trigger: body.trigger, rerunAll: body.rerunAll, actor: user.name });
    return json({ scanId, alreadyRunning }, { status: alreadyRunning ? 200 : 202, headers: { location: `/api/health/scans/${scanId}` } });
  } catch (error) {
    if (error instanceof UnknownNodeError) throw badRequest(`nodeIds: ${error.message}`, "nodeIds");
    throw error;
  }
});
