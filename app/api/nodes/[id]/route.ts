import { NodeIdParams, NodeInput } from "@/lib/contracts/nodes";
import { db } from "@/server/db";
import { notFound } from "@/server/errors";
import { requireNodes } from "@/server/auth/scope";
import { json, route } from "@/server/http/route";
import { getFacts, getNode } from "@/server/nodes/repository";
import { removeNode, updateNode } from "@/server/nodes/service";

export const GET = route({ role: "trainee", params: NodeIdParams }, ({ params, user }) => {
  requireNodes(db(), user, [params.id]);
  const node = getNode(db(), params.id);
  if (!node) throw notFound(`node ${params.id}`);
  return json({ node, facts: getFacts(db(), params.id) });
});

export const PATCH = route({ role: "admin", params: NodeIdParams, body: NodeInput }, ({ params, body, user }) =>
  json({ node: updateNode(db(), params.id, body, user.name) }),
);

export const DELETE = route({ role: "admin", params: NodeIdParams }, ({ params, user }) => {
  removeNode(db(), params.id, user.name);
  return new Response(null, { status: 204 });
});
