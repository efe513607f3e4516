import { z } from "zod";
import { db } from "@/server/db";
import { getScan } from "@/server/health";
import { notFound } from "@/server/http/errors";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: z.object({ id: z.string().uuid() }) }, ({ params }) => {
  const scan = getScan(db(), params.id);
  if (!scan) throw notFound(`scan ${params.id}`);
  return json(scan);
});
