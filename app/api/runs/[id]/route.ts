import { z } from "zod";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";
import { json, route } from "@/server/http/route";
import { getRun } from "@/server/runs/repository";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: z.object({ id: z.string().uuid() }) }, ({ params }) => {
  const run = getRun(db(), params.id);
  if (!run) throw notFound(`run ${params.id}`);
  return json({ run });
});
