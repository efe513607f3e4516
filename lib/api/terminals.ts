import { z } from "zod";
import { TerminalInputLog, TerminalSessionList, type PtySize } from "../contracts/terminals";
import { fetchJson } from "../fetcher";

export const terminalsApi = {
  sessions: (nodeId?: string) => fetchJson(TerminalSessionList, `/api/terminals${nodeId ? `?node=${encodeURIComponent(nodeId)}` : ""}`),
  input: (sessionId: string) => fetchJson(TerminalInputLog, `/api/terminals/${encodeURIComponent(sessionId)}/input`),
  access: (nodeId: string) => fetchJson(z.object({ allowed: z.literal(true), node: z.string(), socket: z.string() }), `/api/terminals/access?node=${encodeURIComponent(nodeId)}`),
  /** The WebSocket's URL on this page's own origin (the server checks Origin and the session cookie). */
  socketUrl: (loc: Pick<Location, "protocol" | "host">, nodeId: string, size: PtySize) =>
    `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/api/terminals/socket?node=${encodeURIComponent(nodeId)}&cols=${size.cols}&rows=${size.rows}`,
};
