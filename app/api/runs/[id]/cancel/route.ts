import { z } from "zod";
import { db } from "@/server/db";
import { conflict, notFound } from "@/server/http/errors";
import { json, route } from "@/server/http/route";
import { engine } from "@/server/runs";
import { getRun } from "@/server/runs/repository";

export const POST = route({ role: "operator", params: z.object({ id: z.string().uuid() }) }, ({ params, user }) => {
  const run = getRun(db(), params.id);
  if (!run) throw notFound(`run ${params.id}`);
  if (!engine().cancel(params.id, user.name)) throw conflict(`run ${params.id} is not running (${run.status})`);
  return json({ runId: params.id, cancelling: true }, { status: 202 });
});
