import "server-only";
import { randomBytes } from "node:crypto";
import { quote } from "./quote";
import type { NodeTarget } from "./types";

export interface WrappedCommand {
  /** The exec request's command line. */
  line: string;
  /** Printed on stderr, with the process group, when the command itself starts. */
  marker: string;
  /** null: no sudo. password null: `sudo -n`; otherwise the password goes on stdin before anything else. */
  sudo: null | { password: string | null };
}

/** Whether running "as root" goes through sudo for this target. */
export function usesSudo(target: Pick<NodeTarget, "privilege" | "username">, asRoot: boolean): boolean {
  return asRoot && target.privilege.kind !== "root" && target.username !== "root";
}

/**
 * Every command starts by printing a marker line with its process group on stderr. Before the
 * marker, stderr is the login's or sudo's (lecture, "Sorry, try again", "a password is required");
 * after it, the command's. The process group lets a timeout or an abort kill the whole command tree
 * on the host: sshd makes each session its own process group, and closing an exec channel without
 * a pty kills nothing (OpenSSH session.c).
 */
export function wrapCommand(target: Pick<NodeTarget, "privilege" | "username">, command: string, asRoot: boolean): WrappedCommand {
  const marker = `nodeprep-start-${randomBytes(6).toString("hex")}`;
  // The command runs in this same /bin/sh (eval, not a second `sh -c`): one exec fewer per command,
  // which is measurable on slow hosts (bench/facts), and the same process group for the kill.
  const inner = `read -r _ _ _ _ __nodeprep_g _ < /proc/$$/stat 2>/dev/null; printf '%s %s\\n' ${marker} "$__nodeprep_g" >&2; __nodeprep_c=$1; shift; eval "$__nodeprep_c"`;
  // The login shell might be bash, zsh or fish: hand it only single-quoted words for /bin/sh.
  const sh = `/bin/sh -c ${quote(inner)} nodeprep ${quote(command)}`;
  const { privilege } = target;
  if (!usesSudo(target, asRoot)) return { line: sh, marker, sudo: null };
  if (privilege.kind === "sudo-nopasswd") return { line: `sudo -n -- ${sh}`, marker, sudo: { password: null } };
  if (privilege.kind !== "sudo-password") throw new Error("unreachable: root privilege needs no sudo");
  // -k: ignore cached credentials, so sudo always reads the password line and never hands it to the command.
  // -p '': no prompt text. The password travels on stdin only, never on a command line.
  return { line: `sudo -k -S -p '' -- ${sh}`, marker, sudo: { password: privilege.password } };
}
