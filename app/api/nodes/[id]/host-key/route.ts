import { HostKeyDecision, NodeIdParams } from "@/lib/contracts/nodes";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { decideHostKey } from "@/server/nodes/service";

export const POST = route({ role: "admin", params: NodeIdParams, body: HostKeyDecision }, ({ params, body, user }) =>
  json({ node: decideHostKey(db(), params.id, body, user.name) }),
);
