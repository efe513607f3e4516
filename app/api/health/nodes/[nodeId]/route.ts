import { z } from "zod";
import { health } from "@/server/health";
import { notFound } from "@/server/http/errors";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/** One node: its row, stored facts, health history and drift. */
export const GET = route({ role: "viewer", params: z.object({ nodeId: z.string().uuid() }) }, ({ params }) => {
  const node = health().nodeHealth(params.nodeId);
  if (!node) throw notFound(`node ${params.nodeId}`);
  return json(node);
});
