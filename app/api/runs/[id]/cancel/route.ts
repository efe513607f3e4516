import { z } from "zod";
import { db } from "@/server/db";
import { conflict, notFound } from "@/server/errors";
import { requireChange, requireNodes } from "@/server/auth/scope";
import { json, route } from "@/server/http/route";
import { engine } from "@/server/runs";
import { getRun } from "@/server/runs/repository";

/** Operators cancel any run; a trainee cancels runs on their own practice node. */
export const POST = route({ role: "trainee", params: z.object({ id: z.string().uuid() }) }, ({ params, user }) => {
  const run = getRun(db(), params.id);
  const nodeIds = run ? run.nodes.map((n) => n.nodeId) : null;
  requireNodes(db(), user, nodeIds, "run");
  requireChange(db(), user, nodeIds, "cancelling a run");
  if (!run) throw notFound(`run ${params.id}`);
  if (!engine().cancel(params.id, user.name)) throw conflict(`run ${params.id} is not running (${run.status})`);
  return json({ runId: params.id, cancelling: true }, { status: 202 });
});
