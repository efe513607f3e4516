import { z } from "zod";
import { db } from "@/server/db";
import { notFound } from "@/server/errors";
import { requireNodes } from "@/server/auth/scope";
import { route } from "@/server/http/route";
import { getRun } from "@/server/runs/repository";
import { runEventStream } from "@/server/runs/stream";

export const dynamic = "force-dynamic";

/** Server-Sent Events: stored events after Last-Event-ID (or ?after=), then live ones until run-end. */
export const GET = route(
  {
    role: "trainee",
    params: z.object({ id: z.string().uuid() }),
    query: z.object({ after: z.coerce.number().int().min(0).optional() }).strict(),
  },
  ({ req, params, query, user }) => {
    const run = getRun(db(), params.id);
    requireNodes(db(), user, run ? run.nodes.map((n) => n.nodeId) : null, "run");
    if (!run) throw notFound(`run ${params.id}`);
    const lastId = Number(req.headers.get("last-event-id") ?? "");
    const after = Number.isInteger(lastId) && lastId > 0 ? lastId : (query.after ?? 0);
    return new Response(runEventStream(db(), params.id, after, req.signal), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  },
);
