import "server-only";
import { randomBytes } from "node:crypto";
import { sshError } from "./errors";
import { quote } from "./quote";
import type { NodeTarget } from "./types";

export interface WrappedCommand {
  /** The exec request's command line. */
  line: string;
  /** Printed on stderr, with the process group, when the command itself starts. */
  marker: string;
  /**
   * null: no sudo. `passwordLine` null: `sudo -n`; otherwise this line goes first on stdin, before
   * anything else, and the wrapper's own shell consumes all of it (see sudoWithPassword).
   */
  sudo: null | { passwordLine: string | null };
}

/** Control characters (newline, NUL, ESC, ...): never part of a password nodeprep will send. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Whether running "as root" goes through sudo for this target. */
export function usesSudo(target: Pick<NodeTarget, "privilege" | "username">, asRoot: boolean): boolean {
  return asRoot && target.privilege.kind !== "root" && target.username !== "root";
}

/**
 * The password as ONE line of octal escapes (`\157\160\163`): whatever it holds (a newline, `$(id)`,
 * quotes, non-ASCII), the line has only backslashes and digits, so the shell's `read` takes all of it
 * and `printf` turns it back into the exact bytes.
 */
export function encodePasswordLine(password: string): string {
  return [...Buffer.from(password, "utf8")].map((b) => `\\${b.toString(8).padStart(3, "0")}`).join("");
}

/**
 * sudo with a password, without the password ever being on the stream a command reads.
 *
 * `sudo -S` would read the password from the command's own stdin: a password holding a newline then
 * leaves its tail there, and a root shell fed on stdin (a kept shell) runs it as root. So:
 * the wrapper's shell (the login user's) reads the one encoded line with its `read` builtin, and hands
 * the decoded password to sudo through an askpass program: `cat` of a here-document on the wrapper's
 * fd 3 (`/proc/<wrapper>/fd/3`). sudo reads one line from askpass's output; the command gets fd 0 after
 * the encoded line, and sudo closes fd 3 and up for the command. A wrong password is asked once: the
 * second `cat` finds the here-document drained and sudo gives up (one failed attempt, not three).
 */
function sudoWithPassword(inner: string, command: string): string {
  const wrapper = [
    "IFS= read -r np_p || exit 97",
    '{ SUDO_ASKPASS=$(command -v cat) sudo -A -k -p "/proc/$$/fd/3" -- /bin/sh -c "$1" nodeprep "$2"; } 3<<NPEOF',
    '$(printf "$np_p")',
    "NPEOF",
  ].join("\n");
  return `/bin/sh -c ${quote(wrapper)} nodeprep-sudo ${quote(inner)} ${quote(command)}`;
}

/**
 * Every command starts by printing a marker line with its process group on stderr. Before the
 * marker, stderr is the login's or sudo's (lecture, "Sorry, try again", "a password is required");
 * after it, the command's. The process group lets a timeout or an abort kill the whole command tree
 * on the host: sshd makes each session its own process group, and closing an exec channel without
 * a pty kills nothing (OpenSSH session.c).
 */
export function wrapCommand(target: Pick<NodeTarget, "privilege" | "username" | "address" | "port">, command: string, asRoot: boolean): WrappedCommand {
  const marker = `nodeprep-start-${randomBytes(6).toString("hex")}`;
  // The command runs in this same /bin/sh (eval, not a second `sh -c`): one exec fewer per command,
  // which is measurable on slow hosts (bench/facts), and the same process group for the kill.
  const inner = `read -r _ _ _ _ __nodeprep_g _ < /proc/$$/stat 2>/dev/null; printf '%s %s\\n' ${marker} "$__nodeprep_g" >&2; __nodeprep_c=$1; shift; eval "$__nodeprep_c"`;
  // The login shell might be bash, zsh or fish: hand it only single-quoted words for /bin/sh.
  const sh = `/bin/sh -c ${quote(inner)} nodeprep ${quote(command)}`;
  const { privilege } = target;
  if (!usesSudo(target, asRoot)) return { line: sh, marker, sudo: null };
  if (privilege.kind === "sudo-nopasswd") return { line: `sudo -n -- ${sh}`, marker, sudo: { passwordLine: null } };
  if (privilege.kind !== "sudo-password") throw new Error("unreachable: root privilege needs no sudo");
  if (CONTROL_CHARACTER.test(privilege.password)) {
    // Refused at the API too; a value stored before that rule is not sent anywhere.
    const where = { address: target.address, port: target.port, username: target.username };
    throw sshError(
      "sudo-password-wrong",
      where,
      `the sudo password stored for user ${target.username} on ${target.address}:${target.port} contains a control character (a newline, NUL or escape): nodeprep does not send it. Edit the node and enter the password again`,
    );
  }
  // -k: ignore cached credentials, so sudo always asks askpass, never a timestamp left by someone else.
  return {
    line: sudoWithPassword(inner, command),
    marker,
    sudo: { passwordLine: encodePasswordLine(privilege.password) },
  };
}
