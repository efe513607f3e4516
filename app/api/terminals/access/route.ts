import { z } from "zod";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { terminalNode } from "@/server/terminals/session";
import { TERMINAL_SOCKET_PATH } from "@/server/terminals/socket";
import { HttpError } from "@/server/http/errors";
import { TerminalRefused } from "@/server/terminals/session";

export const dynamic = "force-dynamic";

/** May the signed-in user open a terminal to this node? 200 with the socket's path, else 403/404 and why. */
export const GET = route({ role: "viewer", query: z.object({ node: z.string().uuid() }).strict() }, ({ query, user }) => {
  try {
    const node = terminalNode(db(), user, query.node);
    return json({ allowed: true, node: node.name, socket: TERMINAL_SOCKET_PATH });
  } catch (error) {
    if (error instanceof TerminalRefused) throw new HttpError(error.status, error.status === 404 ? "not_found" : "forbidden", error.message);
    throw error;
  }
});
