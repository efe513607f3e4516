import "server-only";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { TerminalClientMessage, TerminalSocketQuery, type TerminalServerMessage } from "@/lib/contracts/terminals";
import { sessionFromToken, sessionToken } from "../auth/sessions";
import { db } from "../db";
import { AppError } from "../errors";
import { checkOrigin } from "../http/route";
import { checkHost } from "../http/trust";
import { openTerminal, terminalNode, type OpenTerminal } from "./session";

// The terminal's transport: a WebSocket on the dashboard's own HTTP server (scripts/start.mjs hands
// every `upgrade` to the handler installed here). Before upgrading, the same gates as route(): the
// Host (421), the Origin, always, since any page may open a WebSocket with our cookie (403), the
// session (401), the query (400), the node and the terminal access rule (404/403). A refusal is a
// plain HTTP answer with the usual JSON error, so a client sees why.

export const TERMINAL_SOCKET_PATH = "/api/terminals/socket";
/** A multi-line paste is one message; far more than any paste, far less than a flood. */
const MAX_MESSAGE_BYTES = 256 * 1024;

const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  return new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), { headers });
}

function refuse(socket: Duplex, status: number, code: string, message: string) {
  const body = JSON.stringify({ error: message, code });
  const text = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 421: "Misdirected Request" }[status] ?? "Error";
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** Handles the upgrade when it is for a terminal; false otherwise (the caller refuses it). */
export function handleTerminalUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
  const request = toRequest(req);
  const url = new URL(request.url);
  if (url.pathname !== TERMINAL_SOCKET_PATH) return false;
  let user, node, query;
  try {
    checkHost(request);
    checkOrigin(request);
    const session = sessionFromToken(db(), sessionToken(request));
    if (!session) throw new AppError("unauthenticated", "sign in first");
    user = session.user;
    const parsed = TerminalSocketQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw new AppError("invalid_input", `${parsed.error.issues[0].path.join(".") || "query"}: ${parsed.error.issues[0].message}`);
    query = parsed.data;
    node = terminalNode(db(), user, query.node);
  } catch (error) {
    // The error registry's answer, as route() would give it (a TerminalRefused is a not_found or forbidden).
    if (error instanceof AppError) refuse(socket, error.rule.status, error.rule.code ?? error.kind, error.message);
    else {
      console.error("[terminal] upgrade failed", error);
      refuse(socket, 500, "internal", "internal error (see the server log)");
    }
    return true;
  }
  const { cols, rows } = query;
  const who = user;
  wss.handleUpgrade(req, socket, head, (ws) => void attach(ws, who, node.id, { cols, rows }));
  return true;
}

async function attach(ws: WebSocket, user: NonNullable<ReturnType<typeof sessionFromToken>>["user"], nodeId: string, pty: { cols: number; rows: number }) {
  const send = (m: TerminalServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
  // Messages that arrive while the shell opens wait for it (a fast typist, a paste on reload).
  const early: TerminalClientMessage[] = [];
  let terminal: OpenTerminal | null = null;
  let gone = false;
  const handle = (m: TerminalClientMessage) => (m.type === "input" ? terminal!.input(m.data) : terminal!.resize({ cols: m.cols, rows: m.rows }));
  ws.on("message", (raw, isBinary) => {
    let parsed;
    try {
      parsed = TerminalClientMessage.safeParse(JSON.parse(isBinary ? Buffer.from(raw as Buffer).toString("utf8") : String(raw)));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) return send({ type: "error", message: "not a terminal message: expected {type: input|resize, ...}" });
    if (terminal) handle(parsed.data);
    else early.push(parsed.data);
  });
  ws.on("close", () => {
    gone = true;
    terminal?.close("the page closed");
  });
  try {
    terminal = await openTerminal(db(), user, nodeId, pty, {
      output: (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }),
      control: send,
      end: () => ws.close(1000, "terminal closed"),
    });
  } catch (error) {
    send({ type: "error", message: `could not open a terminal: ${(error as Error).message}` });
    ws.close(1011, "could not open a terminal");
    return;
  }
  if (gone) return terminal.close("the page closed");
  for (const m of early.splice(0)) handle(m);
}

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** scripts/start.mjs finds the handler here (it runs Next in the same process, before this is loaded). */
export function installTerminalSockets(): void {
  (globalThis as unknown as { nodeprepUpgrade?: UpgradeHandler }).nodeprepUpgrade = handleTerminalUpgrade;
}
