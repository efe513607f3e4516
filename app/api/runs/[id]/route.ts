import { z } from "zod";
import { db } from "@/server/db";
import { notFound } from "@/server/errors";
import { requireNodes } from "@/server/auth/scope";
import { json, route } from "@/server/http/route";
import { getRun } from "@/server/runs/repository";

export const dynamic = "force-dynamic";

export const GET = route({ role: "trainee", params: z.object({ id: z.string().uuid() }) }, ({ params, user }) => {
  const run = getRun(db(), params.id);
  requireNodes(db(), user, run ? run.nodes.map((n) => n.nodeId) : null, "run");
  if (!run) throw notFound(`run ${params.id}`);
  return json({ run });
});
