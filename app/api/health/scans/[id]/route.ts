import { z } from "zod";
import { db } from "@/server/db";
import { nodeScope } from "@/server/auth/scope";
import { getScan } from "@/server/health";
import { scanView } from "@/server/health/service";
import { notFound } from "@/server/errors";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/** A trainee sees only their own nodes' part of a scan. */
export const GET = route({ role: "trainee", params: z.object({ id: z.string().uuid() }) }, ({ params, user }) => {
  const scan = getScan(db(), params.id);
  if (!scan) throw notFound(`scan ${params.id}`);
  const scope = nodeScope(db(), user);
  return json(scanView(scan, scope.all ? undefined : scope.nodeIds));
});
