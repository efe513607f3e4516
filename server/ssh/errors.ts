import "server-only";
import { SshError, type OfferedHostKey, type SshErrorKind } from "./types";

// Every failure names host, port and user, says what happened in words an operator can act on, and
// carries a kind the UI and the run engine can branch on (design.md convention 4).

export interface Where {
  address: string;
  port: number;
  username: string;
}

/** host:port, with IPv6 literals bracketed as OpenSSH prints them. */
export function hostPort(w: Pick<Where, "address" | "port">): string {
  return w.address.includes(":") ? `[${w.address}]:${w.port}` : `${w.address}:${w.port}`;
}

const details = (w: Where) => ({ host: w.address, port: w.port, username: w.username });

export function sshError(kind: SshErrorKind, w: Where, message: string, extra: Partial<SshError["details"]> = {}, cause?: unknown) {
  return new SshError(kind, message, { ...details(w), ...extra }, cause === undefined ? undefined : { cause });
}

const hp = hostPort;

export const errors = {
  dns: (w: Where, code: string, cause?: unknown) =>
    sshError("dns", w, `cannot resolve the host name "${w.address}" (${code}): check the address of ${hp(w)} for user ${w.username}`, {}, cause),
  refused: (w: Where, cause?: unknown) =>
    sshError("refused", w, `${hp(w)} refused the connection for user ${w.username}: is sshd running and listening on port ${w.port}?`, {}, cause),
  connectTimeout: (w: Where, ms: number, phase: "tcp" | "handshake", cause?: unknown) =>
    sshError(
      "timeout",
      w,
      phase === "tcp"
        ? `connecting to ${hp(w)} as ${w.username} timed out after ${ms / 1000} s (no answer: firewall, wrong address, or host down)`
        : `${hp(w)} accepted the TCP connection but the SSH handshake for user ${w.username} did not finish within ${ms / 1000} s`,
      {},
      cause,
    ),
  unreachable: (w: Where, code: string, cause?: unknown) =>
    sshError("unreachable", w, `${hp(w)} is unreachable (${code}) for user ${w.username}: no route to the host`, {}, cause),
  authRejected: (w: Where, method: "publickey" | "password", serverMethods: string[] | undefined) => {
    const what = method === "publickey" ? "the key" : "the password";
    const accepts = serverMethods?.length ? ` (the server accepts: ${serverMethods.join(", ")})` : "";
    return sshError("auth-rejected", w, `${hp(w)} refused ${what} for user ${w.username}${accepts}`, { serverMethods });
  },
  methodNotOffered: (w: Where, method: "publickey" | "password", serverMethods: string[]) =>
    sshError(
      "auth-rejected",
      w,
      `${hp(w)} does not accept ${method === "publickey" ? "key" : "password"} authentication for user ${w.username} (the server accepts: ${serverMethods.join(", ") || "nothing"})`,
      { serverMethods },
    ),
  keyUnreadable: (w: Where, reason: "passphrase-missing" | "passphrase-wrong" | "malformed", cause?: unknown) =>
    sshError(
      "key-unreadable",
      w,
      {
        "passphrase-missing": `the private key for ${w.username}@${hp(w)} is encrypted: enter its passphrase`,
        "passphrase-wrong": `the passphrase of the private key for ${w.username}@${hp(w)} is wrong`,
        malformed: `the private key for ${w.username}@${hp(w)} is not a readable OpenSSH or PEM private key`,
      }[reason],
      {},
      cause,
    ),
  hostKeyUnknown: (w: Where, offered: OfferedHostKey) =>
    sshError(
      "host-key-unknown",
      w,
      `${hp(w)} is not trusted yet: it offers the host key ${offered.keygen}. Compare it with the host's own \`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub\` and trust it before anything runs as ${w.username}`,
      { offered },
    ),
  hostKeyChanged: (w: Where, expected: OfferedHostKey, offered: OfferedHostKey) =>
    sshError(
      "host-key-changed",
      w,
      `HOST KEY CHANGED for ${hp(w)} (user ${w.username}): expected ${expected.keygen}, but the host offers ${offered.keygen}. ` +
        `Someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled. Nothing runs on this node until an admin replaces the key.`,
      { expected, offered },
    ),
  sudoPasswordRequired: (w: Where) =>
    sshError("sudo-password-required", w, `sudo on ${hp(w)} asks user ${w.username} for a password: set the node's privilege to "sudo with a password"`),
  sudoPasswordWrong: (w: Where) => sshError("sudo-password-wrong", w, `sudo on ${hp(w)} rejected the sudo password of user ${w.username}`),
  sudoDenied: (w: Where, said: string) =>
    sshError("sudo-denied", w, `user ${w.username} may not run commands as root through sudo on ${hp(w)}${said ? ` (sudo said: ${said})` : ""}`),
  commandNotFound: (w: Where, program: string) =>
    sshError("command-not-found", w, `command "${program}" not found on ${hp(w)} (user ${w.username}): is it installed and on the PATH?`, { program }),
  connectionLost: (w: Where, during: string, cause?: unknown) =>
    sshError("connection-lost", w, `the connection to ${hp(w)} (user ${w.username}) was lost ${during}; it is re-established on the next use`, {}, cause),
  commandTimeout: (w: Where, ms: number) =>
    sshError("timeout", w, `the command on ${hp(w)} (user ${w.username}) did not finish within ${ms / 1000} s and was stopped`),
  aborted: (w: Where) => sshError("aborted", w, `cancelled: the command on ${hp(w)} (user ${w.username}) was stopped`),
  protocol: (w: Where, said: string, cause?: unknown) =>
    sshError("protocol", w, `${hp(w)} did not complete an SSH handshake with user ${w.username}: ${said}`, {}, cause),
};

/** Map a socket-level error code to an SshError (DNS, refused, unreachable, timeout). */
export function fromSocketError(w: Where, error: NodeJS.ErrnoException): SshError {
  const code = error.code ?? "";
  switch (code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
    case "EAI_NODATA":
      return errors.dns(w, code, error);
    case "ECONNREFUSED":
      return errors.refused(w, error);
    case "ETIMEDOUT":
      return errors.connectTimeout(w, 0, "tcp", error);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
    case "ENETDOWN":
    case "EADDRNOTAVAIL":
      return errors.unreachable(w, code, error);
    case "ECONNRESET":
    case "EPIPE":
      return errors.connectionLost(w, "while connecting (the server closed it: MaxStartups, a firewall, or tcp wrappers?)", error);
    default:
      return errors.protocol(w, error.message, error);
  }
}

/** Map ssh2's private-key parse error text to a reason. */
export function keyParseReason(message: string): "passphrase-missing" | "passphrase-wrong" | "malformed" {
  if (/no passphrase given/i.test(message)) return "passphrase-missing";
  if (/bad passphrase|integrity check failed|decrypt/i.test(message)) return "passphrase-wrong";
  return "malformed";
}

/** "sh: 1: foo: not found" (dash), "bash: foo: command not found", "sh: foo: not found" (busybox). */
export function programNotFound(stderr: string): string | null {
  const m = /(?:^|: )([^\s:]+): (?:command )?not found\s*$/m.exec(stderr);
  return m ? m[1] : null;
}

/** What sudo printed before the command started, mapped to an error (null = not a sudo problem). */
export function sudoFailure(w: Where, preamble: string, withPassword: boolean): SshError | null {
  const text = preamble.trim();
  if (!text) return null;
  if (/incorrect password attempt|Sorry, try again|no password was provided/i.test(text))
    return withPassword ? errors.sudoPasswordWrong(w) : errors.sudoPasswordRequired(w);
  if (/a password is required|a terminal is required to read the password/i.test(text)) return errors.sudoPasswordRequired(w);
  if (/not in the sudoers file|not allowed to (execute|run)|may not run sudo|must have a tty|is not allowed/i.test(text)) {
    const said = text.split("\n").find((l) => /sudoers|not allowed|may not|tty/i.test(l)) ?? "";
    return errors.sudoDenied(w, said.replace(/^sudo: /, "").trim());
  }
  return null;
}
