import { DriftQuery } from "@/lib/contracts/health";
import { db } from "@/server/db";
import { listDrift } from "@/server/health";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/** Drift events, newest first: ?open=1 for the unresolved ones, ?nodeId= for one node. */
export const GET = route({ role: "viewer", query: DriftQuery }, ({ query }) =>
  json({ events: listDrift(db(), { open: query.open === "1", nodeId: query.nodeId, limit: query.limit }) }),
);
