import { z } from "zod";

// A terminal in the browser: the messages on its WebSocket, and the kept sessions a trainer
// replays. Output travels as binary frames (the host's bytes); everything else is JSON text frames.

export const PtySize = z.object({
  cols: z.coerce.number().int().min(2).max(500),
  rows: z.coerce.number().int().min(2).max(200),
});
export type PtySize = z.infer<typeof PtySize>;

/** Browser -> server. Input is what xterm.js hands over (a key, or a whole multi-line paste). */
export const TerminalClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().min(1).max(64 * 1024) }),
  z.object({ type: z.literal("resize"), cols: PtySize.shape.cols, rows: PtySize.shape.rows }),
]);
export type TerminalClientMessage = z.infer<typeof TerminalClientMessage>;

/** Server -> browser (text frames). */
export const TerminalServerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), sessionId: z.string(), node: z.string() }),
  z.object({ type: z.literal("closed"), reason: z.string() }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type TerminalServerMessage = z.infer<typeof TerminalServerMessage>;

/** The socket's URL: the node, and the window size to open the pty with. */
export const TerminalSocketQuery = z.object({ node: z.string().min(1).max(100) }).extend(PtySize.shape);

export const TerminalSession = z.object({
  id: z.string(),
  nodeId: z.string(),
  nodeName: z.string().nullable(),
  actor: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  bytesIn: z.number().int(),
  bytesOut: z.number().int(),
});
export type TerminalSession = z.infer<typeof TerminalSession>;

export const TerminalSessionList = z.object({ sessions: z.array(TerminalSession) });
export type TerminalSessionList = z.infer<typeof TerminalSessionList>;

/** What was typed, in order, `atMs` after the session started. */
export const TerminalInputLog = z.object({
  session: TerminalSession,
  input: z.array(z.object({ atMs: z.number().int().nonnegative(), data: z.string() })),
});
export type TerminalInputLog = z.infer<typeof TerminalInputLog>;
