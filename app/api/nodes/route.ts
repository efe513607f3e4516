import { NewNodeInput } from "@/lib/contracts/nodes";
import { db } from "@/server/db";
import { nodeScope, visible } from "@/server/auth/scope";
import { json, route } from "@/server/http/route";
import { listNodes } from "@/server/nodes/repository";
import { createNode } from "@/server/nodes/service";

/** Every node; a trainee sees only their own practice node. */
export const GET = route({ role: "trainee" }, ({ user }) => json({ nodes: visible(nodeScope(db(), user), listNodes(db()), (n) => n.id) }));

export const POST = route({ role: "admin", body: NewNodeInput }, ({ body, user }) => json({ node: createNode(db(), body, user.name) }, { status: 201 }));
