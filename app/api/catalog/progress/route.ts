import { z } from "zod";
import { steps } from "@/server/catalog";
import { db } from "@/server/db";
import { requireNodes } from "@/server/auth/scope";
import { json, route } from "@/server/http/route";
import { stepProgress } from "@/server/runs/repository";

export const dynamic = "force-dynamic";

/** Where each node stands on each wizard step: ?nodeIds=a,b */
export const GET = route(
  { role: "trainee", query: z.object({ nodeIds: z.string().max(10_000).default("") }).strict() },
  ({ query, user }) => {
    const nodeIds = query.nodeIds.split(",").filter(Boolean).slice(0, 200);
    requireNodes(db(), user, nodeIds);
    return json({ progress: stepProgress(db(), nodeIds, steps.map((s) => s.id)) });
  },
);
