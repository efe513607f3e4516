import "server-only";
import { AppError } from "../errors";
import type { SessionUser } from "@/lib/contracts/auth";
import type { PtySize, TerminalServerMessage } from "@/lib/contracts/terminals";
import { config } from "../config";
import type { Db } from "../db";
import { openHost, type TrackedShell } from "../hosts";
import { getNode } from "../nodes/repository";
import { assignmentOfNode } from "../auth/assignments";
import { terminalAccess } from "./access";
import { IdleTimer } from "./idle";
import { appendInput, endSession, startSession } from "./repository";

// One terminal: the access rule, a pty shell through the tracked path (audited start and end), the
// session row, the kept input (practice nodes) and the idle timer. The transport (server/terminals/
// socket.ts) only moves bytes between this and the browser.

/** Where the terminal's output and news go (a WebSocket, or a test's array). */
export interface TerminalSink {
  output(chunk: Buffer): void;
  control(message: TerminalServerMessage): void;
  /** The terminal is over: close the transport. */
  end(): void;
}

export interface OpenTerminal {
  readonly sessionId: string;
  input(data: string): void;
  resize(size: PtySize): void;
  close(reason: string): void;
}

export class TerminalRefused extends AppError {
  constructor(
    readonly status: 403 | 404,
    message: string,
  ) {
    super(status === 404 ? "not_found" : "forbidden", message);
  }
}

/** Decide before anything opens (the socket answers 403/404 instead of upgrading). */
export function terminalNode(db: Db, user: SessionUser, nodeId: string) {
  const node = getNode(db, nodeId);
  if (!node) throw new TerminalRefused(404, `no node with id ${nodeId}`);
  const access = terminalAccess(user, { ...node, assignedTo: assignmentOfNode(db, node.id)?.userId ?? null });
  if (!access.ok) throw new TerminalRefused(403, access.reason);
  return node;
}

export async function openTerminal(db: Db, user: SessionUser, nodeId: string, pty: PtySize, sink: TerminalSink, idleMinutes = config().NODEPREP_TERMINAL_IDLE_MINUTES): Promise<OpenTerminal> {
  const node = terminalNode(db, user, nodeId);
  const session = startSession(db, { nodeId: node.id, actor: user.name });
  const started = Date.now();
  let shell: TrackedShell;
  try {
    shell = await openHost(db, node.id, { actor: user.name }).shell(pty, { terminalId: session.id });
  } catch (error) {
    endSession(db, session.id, { reason: `could not open: ${(error as Error).message}`, bytesIn: 0, bytesOut: 0 });
    throw error;
  }
  let reason = "the shell exited";
  const idle = new IdleTimer(idleMinutes * 60_000, () => close(`idle for ${idleMinutes} min`));
  shell.onData((chunk) => sink.output(chunk));
  shell.onClose(() => {
    idle.stop();
    endSession(db, session.id, { reason, bytesIn: shell.bytesIn, bytesOut: shell.bytesOut });
    sink.control({ type: "closed", reason });
    sink.end();
  });
  function close(why: string) {
    reason = why;
    shell.close(why);
  }
  sink.control({ type: "ready", sessionId: session.id, node: node.name });
  return {
    sessionId: session.id,
    input(data) {
      idle.touch();
      // Practice nodes only (the access rule allows no other today; the condition stays so a future
      // rule that does cannot start keeping what people type on real hosts, passwords included).
      if (node.practice) appendInput(db, session.id, Date.now() - started, data);
      shell.write(data);
    },
    resize: (size) => shell.resize(size),
    close,
  };
}
