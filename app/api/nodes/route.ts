import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { listNodes } from "@/server/nodes/repository";

export const GET = route({ role: "viewer" }, () => json({ nodes: listNodes(db()) }));
