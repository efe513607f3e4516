import "server-only";
import dns from "node:dns/promises";
import fs from "node:fs";
import net from "node:net";
import type { Duplex } from "node:stream";
import { Client, utils, type AuthenticationType, type ClientChannel, type NextAuthHandler, type SFTPWrapper } from "ssh2";
import { errors, fromSocketError, keyParseReason, sshError, sudoFailure, type Where } from "./errors";
import { describeKey, describePinned } from "./fingerprint";
import { LineSplitter, Retained } from "./output";
import { redactor } from "./redact";
import { ShellSession } from "./shell-session";
import { usesSudo, wrapCommand } from "./wrap";
import { SshError, type ExecOptions, type ExecResult, type InteractiveShell, type NodeTarget, type OfferedHostKey, type PtySize, type UploadOptions } from "./types";

export interface ConnectionOptions {
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** OpenSSH's MaxSessions defaults to 10 channels per connection; stay under it. */
  maxChannels: number;
  /** Bytes of stdout/stderr kept per command (the stream callbacks still see everything). */
  maxRetainedBytes: number;
}

export const defaultConnectionOptions: ConnectionOptions = {
  connectTimeoutMs: 15_000,
  handshakeTimeoutMs: 30_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
  maxChannels: 8,
  maxRetainedBytes: 8 * 1024 * 1024,
};

const HOST_KEY_ALGORITHMS = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
] as const;
type HostKeyAlgorithm = (typeof HOST_KEY_ALGORITHMS)[number];

/**
 * Ask for the pinned key's type first: a server holds several host keys and shows the one the client
 * prefers, so without this a host with an RSA pin would "change" to its ed25519 key.
 */
export function hostKeyAlgorithms(pinnedType: string | undefined): HostKeyAlgorithm[] {
  const first: readonly string[] = pinnedType === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : pinnedType ? [pinnedType] : [];
  return [...HOST_KEY_ALGORITHMS.filter((a) => first.includes(a)), ...HOST_KEY_ALGORITHMS.filter((a) => !first.includes(a))];
}

/** The secrets of a target, for redaction. */
export function targetSecrets(target: NodeTarget): string[] {
  const out: string[] = [];
  if (target.auth.kind === "key") {
    out.push(target.auth.privateKey);
    if (target.auth.passphrase) out.push(target.auth.passphrase);
  } else out.push(target.auth.password);
  if (target.privilege.kind === "sudo-password") out.push(target.privilege.password);
  return out;
}

type Waiter = () => void;

/** Idle long-lived shells kept per privilege (each holds a channel; an exec that needs one evicts them). */
const MAX_IDLE_SHELLS = 2;

/**
 * One SSH connection to one host: connects lazily, verifies the pinned host key, authenticates with
 * the target's method, then multiplexes exec and SFTP channels (at most `maxChannels` at once, the rest
 * queue). When the connection drops, commands in flight fail with `connection-lost` and the pool makes
 * a new connection on the next use.
 */
export class Connection {
  readonly where: Where;
  readonly redact: (text: string) => string;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private closed = false;
  private activeChannels = 0;
  private waiters: Waiter[] = [];
  private inFlight = new Set<(error: SshError) => void>();
  private idleShells: Record<"root" | "user", ShellSession[]> = { root: [], user: [] };
  /** Number of SSH handshakes this connection object made (1 unless it had to reconnect). */
  handshakes = 0;
  lastUsed = Date.now();

  constructor(
    readonly target: NodeTarget,
    private readonly options: ConnectionOptions = defaultConnectionOptions,
    private readonly onClose: (c: Connection) => void = () => undefined,
    /** Opens the stream to this target through its jump host (the pool hands in its pooled connection). */
    private readonly tunnel?: (jump: NodeTarget, address: string, port: number) => Promise<Duplex>,
  ) {
    this.where = { address: target.address, port: target.port, username: target.username };
    this.redact = redactor(targetSecrets(target));
  }

  get isClosed() {
    return this.closed;
  }

  get busy() {
    const idleShells = this.idleShells.root.length + this.idleShells.user.length;
    return this.activeChannels - idleShells > 0 || this.waiters.length > 0;
  }

  /** Resolve once authenticated (connecting if needed). */
  connect(signal?: AbortSignal): Promise<Client> {
    if (this.closed) return Promise.reject(errors.connectionLost(this.where, "before it was used"));
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      this.connecting = this.open().then(
        (client) => {
          this.client = client;
          this.connecting = null;
          return client;
        },
        (error: unknown) => {
          this.connecting = null;
          this.close();
          // Nothing ran: the audit log records this as a refused connection, not as a failed command.
          if (error instanceof SshError) error.details.stage = "connect";
          throw error;
        },
      );
    }
    return signal ? raceAbort(this.connecting, signal, () => errors.aborted(this.where)) : this.connecting;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const lost = errors.connectionLost(this.where, "while a command ran");
    for (const fail of [...this.inFlight]) fail(lost);
    for (const shell of [...this.idleShells.root, ...this.idleShells.user]) shell.close();
    this.client?.end();
    this.client = null;
    for (const w of this.waiters.splice(0)) w();
    this.onClose(this);
  }

  private parseKey() {
    if (this.target.auth.kind !== "key") return undefined;
    const parsed = utils.parseKey(this.target.auth.privateKey, this.target.auth.passphrase || undefined);
    if (parsed instanceof Error) throw errors.keyUnreadable(this.where, keyParseReason(parsed.message), parsed);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || !key.isPrivateKey()) throw errors.keyUnreadable(this.where, "malformed");
    return key;
  }

  /**
   * A TCP stream from this host to address:port, through an SSH direct-tcpip channel: what a target
   * that names this host as its jump host connects over. The channel counts against this connection's
   * limit until it closes.
   */
  async forward(address: string, port: number, signal?: AbortSignal): Promise<Duplex> {
    const client = await this.connect(signal);
    await this.acquire(signal);
    return new Promise<Duplex>((resolve, reject) => {
      client.forwardOut("127.0.0.1", 0, address, port, (error, channel) => {
        if (error) {
          this.release();
          return reject(
            sshError(
              "unreachable",
              this.where,
              `jump host ${this.where.address}:${this.where.port} (user ${this.where.username}) could not open a TCP connection to ${address}:${port}: ${error.message}`,
            ),
          );
        }
        channel.once("close", () => this.release());
        resolve(channel);
      });
    });
  }

  private async socket(): Promise<net.Socket | Duplex> {
    const { address, port, jump } = this.target;
    if (jump) {
      if (!this.tunnel) throw errors.protocol(this.where, "a jump host is set but this connection cannot open tunnels");
      return this.tunnel(jump, address, port);
    }
    let ip = address;
    if (net.isIP(address) === 0) {
      try {
        ip = (await dns.lookup(address)).address;
      } catch (error) {
        throw fromSocketError(this.where, error as NodeJS.ErrnoException);
      }
    }
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: ip, port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(errors.connectTimeout(this.where, this.options.connectTimeoutMs, "tcp"));
      }, this.options.connectTimeoutMs);
      sock.once("connect", () => {
        clearTimeout(timer);
        sock.removeAllListeners("error");
        sock.setNoDelay(true);
        resolve(sock);
      });
      sock.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(fromSocketError(this.where, error));
      });
    });
  }

  private async open(): Promise<Client> {
    const key = this.parseKey();
    const sock = await this.socket();
    this.handshakes++;
    const { target, where } = this;
    const pinned: OfferedHostKey | null = target.hostKey ? describePinned(target.hostKey) : null;
    return new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let settled = false;
      let hostKeyError: SshError | null = null;
      let authError: SshError | null = null;
      let authAttempts = 0;
      const method: "publickey" | "password" = target.auth.kind === "key" ? "publickey" : "password";
      const fail = (error: SshError) => {
        if (settled) return;
        settled = true;
        client.removeAllListeners();
        client.on("error", () => undefined);
        client.end();
        sock.destroy();
        reject(error);
      };

      const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
        if (methodsLeft !== null && authAttempts > 0) {
          authError = errors.authRejected(where, method, methodsLeft);
          return next(false as never);
        }
        authAttempts++;
        if (target.auth.kind === "key") return next({ type: "publickey", username: target.username, key: key! } as never);
        const password = target.auth.password;
        // Hosts with PasswordAuthentication off often still take the password through keyboard-interactive.
        if (methodsLeft && !methodsLeft.includes("password") && methodsLeft.includes("keyboard-interactive")) {
          return next({
            type: "keyboard-interactive",
            username: target.username,
            prompt: (_n: string, _i: string, _l: string, prompts: unknown[], finish: (answers: string[]) => void) =>
              finish(prompts.map(() => password)),
          } as never);
        }
        if (methodsLeft && !methodsLeft.includes("password")) {
          authError = errors.methodNotOffered(where, "password", methodsLeft);
          return next(false as never);
        }
        return next({ type: "password", username: target.username, password } as never);
      };

      client.on("ready", () => {
        if (settled) return;
        settled = true;
        client.removeAllListeners("error");
        client.on("error", () => undefined); // 'close' below reports the loss
        client.on("close", () => this.close());
        resolve(client);
      });
      client.on("error", (error: Error & { level?: string; code?: string }) => {
        if (hostKeyError) return fail(hostKeyError);
        if (authError) return fail(authError);
        if (error.level === "client-authentication") return fail(errors.authRejected(where, method, undefined));
        if (error.level === "client-timeout") return fail(errors.connectTimeout(where, this.options.handshakeTimeoutMs, "handshake", error));
        if (error.level === "client-socket") return fail(fromSocketError(where, error));
        return fail(errors.protocol(where, error.message, error));
      });
      client.on("close", () => {
        if (hostKeyError) return fail(hostKeyError);
        if (authError) return fail(authError);
        fail(errors.connectionLost(where, "during the SSH handshake (the server closed it: MaxStartups, or an sshd restricting this user?)"));
      });

      client.connect({
        sock,
        host: target.address,
        port: target.port,
        username: target.username,
        readyTimeout: this.options.handshakeTimeoutMs,
        keepaliveInterval: this.options.keepaliveIntervalMs,
        keepaliveCountMax: this.options.keepaliveCountMax,
        algorithms: { serverHostKey: hostKeyAlgorithms(target.hostKey?.type) },
        authHandler: authHandler as never,
        hostVerifier: (blob: Buffer) => {
          let offered: OfferedHostKey;
          try {
            offered = describeKey(blob);
          } catch (error) {
            hostKeyError = errors.protocol(where, `unreadable host key (${(error as Error).message})`);
            return false;
          }
          if (!pinned) {
            hostKeyError = errors.hostKeyUnknown(where, offered);
            return false;
          }
          if (offered.keyBase64 !== pinned.keyBase64) {
            hostKeyError = errors.hostKeyChanged(where, pinned, offered);
            return false;
          }
          return true;
        },
      });
    });
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    while (this.activeChannels >= this.options.maxChannels) {
      if (!this.closed && this.evictIdleShell()) continue;
      if (this.closed) throw errors.connectionLost(this.where, "while the command waited for a channel");
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          this.waiters = this.waiters.filter((w) => w !== wake);
          reject(errors.aborted(this.where));
        };
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.activeChannels++;
  }

  private release() {
    this.activeChannels--;
    this.lastUsed = Date.now();
    this.waiters.shift()?.();
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const { signal } = options;
    if (signal?.aborted) throw errors.aborted(this.where);
    if (options.keepShell && (options.stdin === undefined || options.stdin === null)) return this.execInShell(command, options);
    const client = await this.connect(signal);
    await this.acquire(signal);
    try {
      return await this.run(client, command, options);
    } finally {
      this.release();
    }
  }

  /**
   * An interactive login shell with a pty (a terminal): one channel of this connection for as long as
   * it is open, so the pool does not close the connection under it (it is busy).
   */
  async shell(pty: PtySize, options: { signal?: AbortSignal } = {}): Promise<InteractiveShell> {
    const { signal } = options;
    const client = await this.connect(signal);
    await this.acquire(signal);
    let channel: ClientChannel;
    try {
      channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.shell({ term: "xterm-256color", cols: pty.cols, rows: pty.rows }, (error, ch) =>
          error ? reject(this.closed ? errors.connectionLost(this.where, "before the terminal opened", error) : errors.protocol(this.where, `could not open a terminal: ${error.message}`, error)) : resolve(ch),
        ),
      );
    } catch (error) {
      this.release();
      throw error;
    }
    const closeListeners: (() => void)[] = [];
    let ended = false;
    const onLost = () => channel.close();
    this.inFlight.add(onLost);
    channel.on("close", () => {
      if (ended) return;
      ended = true;
      this.inFlight.delete(onLost);
      this.release();
      for (const l of closeListeners) l();
    });
    return {
      write: (data) => void (!ended && channel.write(data)),
      resize: ({ cols, rows }) => void (!ended && channel.setWindow(rows, cols, 0, 0)),
      onData: (listener) => void channel.on("data", listener),
      onClose: (listener) => void (ended ? listener() : closeListeners.push(listener)),
      close: () => {
        if (ended) return;
        // end() sends EOF and close; a shell that ignores EOF still goes with the channel.
        channel.close();
      },
    };
  }

  /** A command in one of the connection's long-lived shells (one per privilege, kept while idle). */
  private async execInShell(command: string, options: ExecOptions): Promise<ExecResult> {
    const { signal, asRoot = false } = options;
    const kind = usesSudo(this.target, asRoot) ? "root" : "user";
    const client = await this.connect(signal);
    const idle = this.idleShells[kind];
    let shell = idle.pop();
    if (!shell) {
      await this.acquire(signal);
      try {
        shell = await ShellSession.start(client, this.target, asRoot, {
          where: this.where,
          redact: this.redact,
          maxRetainedBytes: this.options.maxRetainedBytes,
          timeoutMs: options.timeoutMs || 30_000,
          connectionClosed: () => this.closed,
        });
      } catch (error) {
        this.release();
        throw error;
      }
      const started = shell;
      // The shell holds its channel until it ends, whoever ends it.
      started.onEnd(() => {
        const i = this.idleShells[kind].indexOf(started);
        if (i >= 0) this.idleShells[kind].splice(i, 1);
        this.release();
      });
    }
    const onLost = () => shell.close();
    this.inFlight.add(onLost);
    try {
      return await shell.run(command, options, (pgid) => (pgid !== null && !this.closed ? this.killGroup(client, pgid, asRoot, options.onKill) : Promise.resolve()));
    } finally {
      this.inFlight.delete(onLost);
      this.lastUsed = Date.now();
      if (shell.idle && !this.closed && idle.length < MAX_IDLE_SHELLS) idle.push(shell);
      else shell.close();
    }
  }

  /** Make room for a channel by ending an idle shell; false when there is none. */
  private evictIdleShell(): boolean {
    const shell = this.idleShells.root.shift() ?? this.idleShells.user.shift();
    shell?.close();
    return shell !== undefined;
  }

  /** Best effort: kill a timed-out or cancelled command's process group on the host (reported to `onKill`). */
  private async killGroup(client: Client, pgid: number, asRoot: boolean, onKill?: ExecOptions["onKill"]): Promise<void> {
    const command = `kill -KILL -${pgid} 2>/dev/null; true`;
    const started = Date.now();
    let code: number | null = null;
    try {
      code = (await this.run(client, command, { asRoot, timeoutMs: 10_000 })).code;
    } catch {
      /* the connection may be gone: then sshd already hung up the session */
    }
    onKill?.({ command, asRoot, code, durationMs: Date.now() - started });
  }

  private run(client: Client, command: string, options: ExecOptions): Promise<ExecResult> {
    const { asRoot = false, signal, timeoutMs, stdin, onStdout, onStderr } = options;
    const { line, marker, sudo } = wrapCommand(this.target, command, asRoot);
    const started = Date.now();
    const redact = this.redact;
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let stream: ClientChannel | null = null;
      let timer: NodeJS.Timeout | undefined;
      const stdout = new Retained(this.options.maxRetainedBytes);
      const stderr = new Retained(this.options.maxRetainedBytes);
      let started_ = false; // the marker was seen: the command itself runs
      let pgid: number | null = null;
      let preamble = "";

      let finishAfter: Promise<void> | null = null;
      const finish = (error: SshError | null, result?: ExecResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.inFlight.delete(onLost);
        const done = () => (error ? reject(error) : resolve(result!));
        if (finishAfter) void finishAfter.then(done);
        else done();
      };
      // Stopping (timeout, abort) kills the command's process group on the host. If the command has not
      // printed its marker yet (it is still starting), wait for it a little before giving up on the kill.
      let stopping: SshError | null = null;
      const closeNow = (error: SshError) => {
        if (pgid !== null && !this.closed) finishAfter = this.killGroup(client, pgid, asRoot, options.onKill);
        if (stream) {
          try {
            stream.signal("KILL"); // OpenSSH >= 7.9 delivers it to the session's shell
          } catch {
            /* channel already gone */
          }
          stream.close();
        }
        finish(error);
      };
      const stop = (error: SshError) => {
        if (settled || stopping) return;
        if (pgid !== null || this.closed) return closeNow(error);
        stopping = error;
        clearTimeout(timer);
        timer = setTimeout(() => closeNow(error), 5_000);
      };
      const onAbort = () => stop(errors.aborted(this.where));
      const onLost = (error: SshError) => finish(error);
      this.inFlight.add(onLost);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs && timeoutMs > 0) timer = setTimeout(() => stop(errors.commandTimeout(this.where, timeoutMs)), timeoutMs);

      const outLines = new LineSplitter((l) => onStdout?.(redact(l)));
      const errLines = new LineSplitter((l) => onStderr?.(redact(l)));
      const sendStdin = (s: ClientChannel) => {
        if (stdin !== undefined && stdin !== null) s.write(stdin);
        s.end();
      };

      client.exec(line, (error, s) => {
        if (error) {
          return finish(this.closed ? errors.connectionLost(this.where, "before the command started", error) : errors.protocol(this.where, `could not open a channel: ${error.message}`, error));
        }
        if (settled) {
          s.close();
          return;
        }
        stream = s;
        if (this.closed) return closeNow(errors.connectionLost(this.where, "before the command started"));
        s.on("data", (chunk: Buffer) => {
          stdout.push(chunk);
          outLines.push(chunk);
        });
        s.stderr.on("data", (chunk: Buffer) => {
          if (started_) {
            stderr.push(chunk);
            errLines.push(chunk);
            return;
          }
          preamble += chunk.toString("utf8");
          const m = new RegExp(`(?:^|\\n)${marker} (\\d*)\\n`).exec(preamble);
          if (m) {
            started_ = true;
            pgid = m[1] ? Number(m[1]) : null;
            const rest = Buffer.from(preamble.slice(m.index + m[0].length), "utf8");
            preamble = preamble.slice(0, m.index);
            if (rest.length) {
              stderr.push(rest);
              errLines.push(rest);
            }
            if (stopping) return closeNow(stopping);
            if (sudo) sendStdin(s);
          }
        });
        s.on("close", (code: number | null | undefined, sig?: string) => {
          outLines.end();
          errLines.end();
          if (settled) return;
          if (stopping) return finish(stopping);
          if (!started_ && sudo) {
            const failure = sudoFailure(this.where, preamble, sudo.passwordLine !== null);
            if (failure) return finish(failure);
            if (code === 127 && /sudo: (command )?not found/.test(preamble)) return finish(errors.commandNotFound(this.where, "sudo"));
          }
          if (code === undefined || (code === null && !sig)) {
            if (this.closed) return finish(errors.connectionLost(this.where, "while the command ran"));
          }
          const result: ExecResult = {
            code: code ?? null,
            signal: sig ?? null,
            stdout: redact(stdout.text()),
            // Noise before the marker that is not sudo's (a login banner on stderr) is kept.
            stderr: redact(sudo ? stderr.text() : preamble + stderr.text()),
            durationMs: Date.now() - started,
          };
          finish(null, result);
        });
        // With sudo, the command's stdin follows the marker; before it, stdin carries only the encoded
        // password line, which the wrapper's shell consumes whole (wrap.ts).
        if (sudo?.passwordLine != null) s.write(sudo.passwordLine + "\n");
        else if (!sudo) sendStdin(s);
        // sudo -n: stdin (and EOF) follow the marker, so sudo never reads the command's input.
      });
    });
  }

  async upload(source: string | Buffer, remotePath: string, options: UploadOptions = {}): Promise<void> {
    const { signal, onProgress, mode } = options;
    if (signal?.aborted) throw errors.aborted(this.where);
    const client = await this.connect(signal);
    await this.acquire(signal);
    try {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((error, s) => (error ? reject(errors.protocol(this.where, `SFTP is not available: ${error.message}`, error)) : resolve(s))),
      );
      try {
        await new Promise<void>((resolve, reject) => {
          let done = false;
          const end = (error?: unknown) => {
            if (done) return;
            done = true;
            signal?.removeEventListener("abort", onAbort);
            this.inFlight.delete(onLost);
            if (error) reject(error);
            else resolve();
          };
          const onAbort = () => {
            sftp.end();
            end(errors.aborted(this.where));
          };
          const onLost = (error: SshError) => end(error);
          this.inFlight.add(onLost);
          signal?.addEventListener("abort", onAbort, { once: true });
          const explain = (error: Error & { code?: number }) =>
            new SshError(
              "protocol",
              `upload to ${remotePath} on ${this.where.address}:${this.where.port} (user ${this.where.username}) failed: ${error.message}`,
              { host: this.where.address, port: this.where.port, username: this.where.username },
              { cause: error },
            );
          if (typeof source === "string") {
            const total = fs.statSync(source).size;
            onProgress?.(0, total);
            sftp.fastPut(source, remotePath, { mode, step: (sent, _chunk, size) => onProgress?.(sent, size) }, (error) =>
              error ? end(explain(error)) : end(),
            );
          } else {
            const total = source.length;
            const ws = sftp.createWriteStream(remotePath, { mode: mode ?? 0o644 });
            let sent = 0;
            ws.on("error", (error: Error) => end(explain(error)));
            ws.on("close", () => end());
            const chunk = 32 * 1024;
            const pump = () => {
              while (sent < total) {
                const piece = source.subarray(sent, sent + chunk);
                sent += piece.length;
                const ok = ws.write(piece);
                onProgress?.(sent, total);
                if (!ok) return ws.once("drain", pump);
              }
              ws.end();
            };
            onProgress?.(0, total);
            pump();
          }
        });
        if (mode !== undefined) {
          // The server applies its umask at open; set the mode exactly.
          await new Promise<void>((resolve, reject) => sftp.chmod(remotePath, mode, (e) => (e ? reject(e) : resolve())));
        }
      } finally {
        sftp.end();
      }
    } finally {
      this.release();
    }
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, error: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(error());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(error());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
