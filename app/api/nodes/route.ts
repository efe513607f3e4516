import { NewNodeInput } from "@/lib/contracts/nodes";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { listNodes } from "@/server/nodes/repository";
import { createNode } from "@/server/nodes/service";

export const GET = route({ role: "viewer" }, () => json({ nodes: listNodes(db()) }));

export const POST = route({ role: "admin", body: NewNodeInput }, ({ body, user }) => json({ node: createNode(db(), body, user.name) }, { status: 201 }));
