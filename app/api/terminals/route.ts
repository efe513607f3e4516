import { z } from "zod";
import { hasRole } from "@/lib/contracts/auth";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { listSessions } from "@/server/terminals/repository";

export const dynamic = "force-dynamic";

/** Terminal sessions, newest first: trainers and admins see everyone's, others their own. */
export const GET = route(
  { role: "viewer", query: z.object({ node: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(500).optional() }).strict() },
  ({ query, user }) => {
    const sessions = listSessions(db(), { nodeId: query.node, limit: query.limit ?? 50 });
    return json({ sessions: hasRole(user.role, "trainer") ? sessions : sessions.filter((s) => s.actor === user.name) });
  },
);
