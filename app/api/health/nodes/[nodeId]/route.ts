import { z } from "zod";
import { requireNodes } from "@/server/auth/scope";
import { db } from "@/server/db";
import { health } from "@/server/health";
import { notFound } from "@/server/errors";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/** One node: its row, stored facts, health history and drift. */
export const GET = route({ role: "trainee", params: z.object({ nodeId: z.string().uuid() }) }, ({ params, user }) => {
  requireNodes(db(), user, [params.nodeId]);
  const node = health().nodeHealth(params.nodeId);
  if (!node) throw notFound(`node ${params.nodeId}`);
  return json(node);
});
