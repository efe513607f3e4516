import { z } from "zod";
import { requireNodes } from "@/server/auth/scope";
import { db } from "@/server/db";
import { getCheck } from "@/server/health";
import { notFound } from "@/server/errors";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/** One check with every probe's raw output (what a matrix cell opens). */
export const GET = route({ role: "trainee", params: z.object({ checkId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }) }, ({ params, user }) => {
  const check = getCheck(db(), params.checkId);
  requireNodes(db(), user, check ? [check.nodeId] : null, "check");
  if (!check) throw notFound(`check ${params.checkId}`);
  return json(check);
});
