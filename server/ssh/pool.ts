import "server-only";
import { createHash } from "node:crypto";
import { Connection, defaultConnectionOptions, type ConnectionOptions } from "./connection";
import type { ExecOptions, NodeTarget, RemoteHost, UploadOptions } from "./types";

// One connection per node, shared by everything that talks to it (runs, facts, health), kept on
// globalThis so Next's dev-mode module reloads don't leak sockets. A target whose address,
// credentials or pinned host key changed gets a fresh connection: the old one is closed.

interface PoolState {
  byNode: Map<string, { identity: string; connection: Connection }>;
  options: ConnectionOptions;
  idleTimer: NodeJS.Timeout | null;
  connectionsOpened: number;
}

const g = globalThis as unknown as { nodeprepSshPool?: PoolState };
const state: PoolState = (g.nodeprepSshPool ??= {
  byNode: new Map(),
  options: defaultConnectionOptions,
  idleTimer: null,
  connectionsOpened: 0,
});

/** Idle connections are closed after this long (a host is not held open forever). */
export const IDLE_CLOSE_MS = 5 * 60_000;

function identity(t: NodeTarget): string {
  return createHash("sha256")
    .update(JSON.stringify([t.address, t.port, t.username, t.auth, t.privilege, t.hostKey]))
    .digest("hex");
}

function sweepIdle() {
  const now = Date.now();
  for (const [nodeId, entry] of state.byNode) {
    if (!entry.connection.busy && now - entry.connection.lastUsed > IDLE_CLOSE_MS) {
      entry.connection.close();
      state.byNode.delete(nodeId);
    }
  }
  if (state.byNode.size === 0 && state.idleTimer) {
    clearInterval(state.idleTimer);
    state.idleTimer = null;
  }
}

function connectionFor(target: NodeTarget): Connection {
  const id = identity(target);
  const entry = state.byNode.get(target.nodeId);
  if (entry && entry.identity === id && !entry.connection.isClosed) return entry.connection;
  entry?.connection.close();
  const connection = new Connection(target, state.options, (closed) => {
    const current = state.byNode.get(target.nodeId);
    if (current?.connection === closed) state.byNode.delete(target.nodeId);
  });
  state.byNode.set(target.nodeId, { identity: id, connection });
  state.connectionsOpened++;
  if (!state.idleTimer) {
    state.idleTimer = setInterval(sweepIdle, 30_000);
    state.idleTimer.unref();
  }
  return connection;
}

/**
 * A handle on a host. Cheap to create; every call goes through the pooled connection of the node,
 * (re)connecting when needed, so a dropped connection is re-established on the next use.
 */
export function getRemoteHost(target: NodeTarget): RemoteHost {
  const { nodeId, name, address, port, username } = target;
  return {
    target: { nodeId, name, address, port, username },
    exec: (command: string, options?: ExecOptions) => connectionFor(target).exec(command, options),
    upload: (source: string | Buffer, remotePath: string, options?: UploadOptions) => connectionFor(target).upload(source, remotePath, options),
  };
}

/** Open the connection now (verifying the host key and credentials) without running anything. */
export async function connectTarget(target: NodeTarget, signal?: AbortSignal): Promise<void> {
  await connectionFor(target).connect(signal);
}

/** Close a node's connection (after its credentials, address or host key changed, or it was removed). */
export function closeConnection(nodeId: string): void {
  const entry = state.byNode.get(nodeId);
  state.byNode.delete(nodeId);
  entry?.connection.close();
}

export function closeAllConnections(): void {
  for (const nodeId of [...state.byNode.keys()]) closeConnection(nodeId);
}

/** For tests and diagnostics: live connections and how many were ever opened. */
export function poolStats(): { open: number; opened: number; handshakes: number } {
  let handshakes = 0;
  for (const e of state.byNode.values()) handshakes += e.connection.handshakes;
  return { open: state.byNode.size, opened: state.connectionsOpened, handshakes };
}

/** Tune timeouts (tests use short ones). Applies to connections made afterwards. */
export function configurePool(options: Partial<ConnectionOptions>): void {
  state.options = { ...state.options, ...options };
}
