import { z } from "zod";
import { db } from "@/server/db";
import { forbidden, notFound } from "@/server/errors";
import { json, route } from "@/server/http/route";
import { canReplay } from "@/server/terminals/access";
import { inputLog } from "@/server/terminals/repository";

export const dynamic = "force-dynamic";

/** What was typed in a terminal session (practice nodes keep it): for a trainer's replay. */
export const GET = route({ role: "viewer", params: z.object({ id: z.string().uuid() }) }, ({ params, user }) => {
  const log = inputLog(db(), params.id);
  if (!log) throw notFound(`terminal session ${params.id}`);
  if (!canReplay(user, log.session.actor)) throw forbidden("only a trainer or an admin may replay another person's terminal");
  return json(log);
});
