import { z } from "zod";
import { ContinueRunBody } from "@/lib/contracts/runs";
import { db } from "@/server/db";
import { conflict, notFound } from "@/server/errors";
import { json, route } from "@/server/http/route";
import { engine } from "@/server/runs";
import { getRun } from "@/server/runs/repository";

/**
 * Continue a rolling run that waits after its canary batch (or cut its pause short): operators only,
 * audited with who. 409 when it does not wait after the batch the operator saw.
 */
export const POST = route({ role: "operator", params: z.object({ id: z.string().uuid() }), body: ContinueRunBody }, ({ params, body, user }) => {
  const run = getRun(db(), params.id);
  if (!run) throw notFound(`run ${params.id}`);
  const result = engine().continueRun(params.id, user.name, body.afterBatch);
  if (!result.ok) throw conflict(result.why === "not-active" ? `run ${params.id} is not running (${run.status})` : result.message);
  return json({ runId: params.id, continued: true }, { status: 202 });
});
