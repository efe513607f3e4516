import { z } from "zod";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { terminalNode } from "@/server/terminals/session";
import { TERMINAL_SOCKET_PATH } from "@/server/terminals/socket";

export const dynamic = "force-dynamic";

/** May the signed-in user open a terminal to this node? 200 with the socket's path, else 403/404 and why. */
export const GET = route({ role: "viewer", query: z.object({ node: z.string().uuid() }).strict() }, ({ query, user }) => {
  const node = terminalNode(db(), user, query.node);
  return json({ allowed: true, node: node.name, socket: TERMINAL_SOCKET_PATH });
});
