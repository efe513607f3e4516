import "server-only";
import { createHash } from "node:crypto";
import { Connection, defaultConnectionOptions, type ConnectionOptions } from "./connection";
import type { Duplex } from "node:stream";
import { SshError, type ExecOptions, type NodeTarget, type PtySize, type RemoteHost, type UploadOptions } from "./types";

// One connection per node, shared by everything that talks to it (runs, facts, health), kept on
// globalThis so Next's dev-mode module reloads don't leak sockets. A target whose address,
// credentials or pinned host key changed gets a fresh connection: the old one is closed.

interface PoolState {
  byNode: Map<string, { identity: string; connection: Connection }>;
  /** Bumped when a node's settings change (retireConnection): handles made before refuse to work. */
  generation: Map<string, number>;
  options: ConnectionOptions;
  idleTimer: NodeJS.Timeout | null;
  connectionsOpened: number;
}

const g = globalThis as unknown as { nodeprepSshPool?: PoolState };
const state: PoolState = (g.nodeprepSshPool ??= {
  byNode: new Map(),
  generation: new Map(),
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

/** Told when a connection to a target behind a jump host opens its TCP channel through the jump host. */
export type OnTunnel = (tunnel: { jumpNodeId: string; jumpName: string; address: string; port: number }) => void;

function connectionFor(target: NodeTarget, onTunnel?: OnTunnel): Connection {
  const id = identity(target);
  const entry = state.byNode.get(target.nodeId);
  if (entry && entry.identity === id && !entry.connection.isClosed) return entry.connection;
  entry?.connection.close();
  const connection = new Connection(
    target,
    state.options,
    (closed) => {
      const current = state.byNode.get(target.nodeId);
      if (current?.connection === closed) state.byNode.delete(target.nodeId);
    },
    async (jump, address, port) => {
      const stream = await throughJump(target, jump, address, port);
      onTunnel?.({ jumpNodeId: jump.nodeId, jumpName: jump.name, address, port });
      return stream;
    },
  );
  state.byNode.set(target.nodeId, { identity: id, connection });
  state.connectionsOpened++;
  if (!state.idleTimer) {
    state.idleTimer = setInterval(sweepIdle, 30_000);
    state.idleTimer.unref();
  }
  return connection;
}

/**
 * The stream to a target through its jump host's pooled connection (shared with the jump host's own
 * use). The jump host's failures say so; its host-key problems are not this target's to trust.
 */
async function throughJump(target: NodeTarget, jump: NodeTarget, address: string, port: number): Promise<Duplex> {
  if (jump.nodeId === target.nodeId) throw new Error(`node ${target.name} cannot be its own jump host`);
  try {
    return await connectionFor(jump).forward(address, port);
  } catch (error) {
    if (!(error instanceof SshError)) throw error;
    const via = `(reaching ${target.name} through its jump host ${jump.name})`;
    if (error.kind === "host-key-unknown" || error.kind === "host-key-changed") {
      const said = error.kind === "host-key-unknown" ? "is not trusted yet" : "changed";
      return Promise.reject(
        new SshError("unreachable", `the host key of jump host ${jump.name} ${said}: open node ${jump.name} and check its key first ${via}`, { host: error.details.host, port: error.details.port, username: error.details.username }, { cause: error }),
      );
    }
    throw new SshError(error.kind, `${error.message} ${via}`, { host: error.details.host, port: error.details.port, username: error.details.username }, { cause: error });
  }
}

/**
 * A handle on a host. Cheap to create; every call goes through the pooled connection of the node,
 * (re)connecting when needed, so a dropped connection is re-established on the next use. Once the
 * node's address, credentials or host key change (retireConnection), the handle refuses to work: it
 * would otherwise reconnect with the settings it was made with, to the old address or with the old key.
 */
export function getRemoteHost(target: NodeTarget, hooks: { onTunnel?: OnTunnel } = {}): RemoteHost {
  const { nodeId, name, address, port, username } = target;
  const born = state.generation.get(nodeId) ?? 0;
  const current = (): Connection => {
    if ((state.generation.get(nodeId) ?? 0) !== born) {
      throw new SshError(
        "connection-lost",
        `the settings of ${name} (address, credentials or host key) changed while this was running: nothing more runs with the old ones. Run it again`,
        { host: address, port, username },
      );
    }
    return connectionFor(target, hooks.onTunnel);
  };
  return {
    target: { nodeId, name, address, port, username },
    connect: async (signal?: AbortSignal) => void (await current().connect(signal)),
    exec: async (command: string, options?: ExecOptions) => current().exec(command, options),
    upload: async (source: string | Buffer, remotePath: string, options?: UploadOptions) => current().upload(source, remotePath, options),
    shell: async (pty: PtySize, options?: { signal?: AbortSignal }) => current().shell(pty, options),
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

/**
 * A node's address, credentials or host key changed, or it was removed: close its connection now (its
 * kept shells and commands in flight end with it) and make every handle made before unusable.
 */
export function retireConnection(nodeId: string): void {
  state.generation.set(nodeId, (state.generation.get(nodeId) ?? 0) + 1);
  closeConnection(nodeId);
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
