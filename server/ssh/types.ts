import "server-only";

// The contract between the SSH layer (server/ssh, the only code that touches ssh2) and everything
// that runs commands on hosts (the run engine, facts, health). Unit tests implement RemoteHost with
// a fake; production gets one from the connection pool.

export type HostAuth =
  | { kind: "key"; privateKey: string; passphrase?: string }
  | { kind: "password"; password: string };

export type Privilege =
  | { kind: "root" }
  | { kind: "sudo-nopasswd" }
  | { kind: "sudo-password"; password: string };

/** A stored, trusted host key: algorithm and the base64 key blob (as in known_hosts). */
export interface PinnedHostKey {
  type: string; // e.g. "ssh-ed25519"
  keyBase64: string;
}

export interface NodeTarget {
  nodeId: string;
  name: string;
  address: string;
  port: number;
  username: string;
  auth: HostAuth;
  privilege: Privilege;
  /** null = never trusted: connecting fails with a `host-key-unknown` SshError carrying the offered key. */
  hostKey: PinnedHostKey | null;
  /**
   * Reached through this host (a bastion, `ssh -J`): its own SSH connection, with its own credentials
   * and pinned key, forwards a TCP stream to address:port, and this target's SSH runs inside it.
   */
  jump?: NodeTarget | null;
}

export interface ExecOptions {
  /** Run as root through the node's privilege (sudo -n, or sudo -S with the password on stdin). */
  asRoot?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Bytes for the command's stdin (after any sudo password, which the layer feeds itself). */
  stdin?: string | Buffer;
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  /**
   * Run in a long-lived shell on the host (server/ssh/shell-session.ts) instead of a new exec channel:
   * no sshd session, login shell or sudo per command. For the short read-only scripts that run again
   * and again (facts, probes); not with `stdin`, and a stopped command ends its shell.
   */
  keepShell?: boolean;
  /** How the tracked path (server/hosts) records this command; the SSH layer itself ignores it. */
  audit?: CommandNote;
  /**
   * Told when stopping this command (a timeout, an abort) ran a kill on the host: that is a command
   * too, and as root it is in the host's sudo log, so the tracked path records it.
   */
  onKill?: (kill: KillRecord) => void;
}

/** What a caller says about a command, for the audit log and the run's log (server/hosts). */
export interface CommandNote {
  /**
   * The command is a generated script (facts, a probe batch): the audit row shows this label and refers
   * to the script's text, stored once by its sha256, instead of repeating it.
   */
  script?: string;
  /**
   * The part of the command stored by hash (its end); what comes before it (a per-run nonce line) is
   * kept in the row. Default: the whole command.
   */
  body?: string;
  /** The probes whose commands the script runs. */
  probes?: readonly string[];
  /** Why this command runs, when the command alone does not say (e.g. "connection test"). */
  purpose?: string;
  /** Audited, but not shown as a command in a run's log (facts and probes appear there as results). */
  quiet?: boolean;
}

export interface KillRecord {
  command: string;
  asRoot: boolean;
  code: number | null;
  durationMs: number;
}
// Output (returned and streamed) is already redacted of the target's secrets. A non-zero exit is a
// result, not an exception; exec throws SshError only when the command could not run or finish
// (connection, host key, auth, sudo, timeout, abort).

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface UploadOptions {
  mode?: number;
  signal?: AbortSignal;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/** A terminal's window, in character cells. */
export interface PtySize {
  cols: number;
  rows: number;
}

/** An interactive login shell with a pty (a terminal in the browser): bytes in, bytes out, a window size. */
export interface InteractiveShell {
  write(data: string | Buffer): void;
  /** The pty's window changed (SSH window-change): full-screen programs redraw. */
  resize(size: PtySize): void;
  /** Output as it comes (stdout and stderr are one stream on a pty). */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once, when the channel has closed (the shell exited, close() or the connection dropped). */
  onClose(listener: () => void): void;
  close(): void;
}

export interface RemoteHost {
  readonly target: Pick<NodeTarget, "nodeId" | "name" | "address" | "port" | "username">;
  /** Connect now (host key, credentials) without running anything; absent on fakes that need no connection. */
  connect?(signal?: AbortSignal): Promise<void>;
  /** `command` is a shell command line: every value in it must come from quote() (server/ssh/quote.ts). */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** SFTP upload as the login user to a path it can write (e.g. a mktemp dir); move into place with exec. */
  upload(source: string | Buffer, remotePath: string, options?: UploadOptions): Promise<void>;
  /** An interactive shell with a pty, as the login user; absent on fakes without one. */
  shell?(pty: PtySize, options?: { signal?: AbortSignal }): Promise<InteractiveShell>;
}

export type SshErrorKind =
  | "dns" // name not resolved
  | "refused" // connection refused
  | "timeout" // connect or command timed out
  | "unreachable" // no route / network down
  | "auth-rejected" // the server refused the credentials (method named in the message)
  | "key-unreadable" // private key malformed, or passphrase missing/wrong
  | "host-key-unknown" // first contact: the operator must trust the offered key
  | "host-key-changed" // possible man-in-the-middle: stop everything on this node
  | "sudo-password-required"
  | "sudo-password-wrong"
  | "sudo-denied" // the user may not run commands through sudo at all
  | "command-not-found"
  | "connection-lost" // dropped mid-command
  | "protocol" // not an SSH server, or no algorithm in common
  | "aborted"; // cancelled through the AbortSignal

export interface SshErrorDetails {
  host: string;
  port: number;
  username: string;
  offered?: OfferedHostKey;
  expected?: OfferedHostKey;
  /** auth-rejected: the methods the server still accepts (e.g. ["publickey"]), when it said so. */
  serverMethods?: string[];
  /** command-not-found: the program the shell could not find. */
  program?: string;
  /** "connect": the connection could not be made (nothing ran); absent: it failed around a command. */
  stage?: "connect";
}

/** Offered key details for host-key errors: what `ssh-keygen -lf` would print. */
export interface OfferedHostKey {
  type: string;
  keyBase64: string;
  fingerprint: string; // "SHA256:..."
  /** The whole line `ssh-keygen -lf` prints, e.g. "256 SHA256:... no comment (ED25519)". */
  keygen: string;
}

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    readonly details: SshErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SshError";
  }
}
