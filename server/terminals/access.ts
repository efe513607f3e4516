import "server-only";
import { hasRole, type SessionUser } from "@/lib/contracts/auth";

// Who may open a terminal to which node: the one rule, used by the socket, the API and (through the
// node list's `practice` flag) the UI. A terminal is a root-capable shell on a host, so only practice
// nodes get one, ever. On a practice node assigned to a trainee (server/auth/assignments.ts): that
// trainee and admins. On an unassigned practice node: operators and up (they may already apply steps
// there). A trainee without the node gets nothing.

export interface TerminalTarget {
  id: string;
  name: string;
  practice: boolean;
  /** The trainee this practice node is assigned to (user id), or null. */
  assignedTo?: string | null;
}

export type TerminalAccess = { ok: true } | { ok: false; reason: string };

export function terminalAccess(user: SessionUser, node: TerminalTarget): TerminalAccess {
  if (!node.practice) return { ok: false, reason: `${node.name} is not a practice node: terminals open only to practice nodes` };
  if (user.role === "admin") return { ok: true };
  if (node.assignedTo) {
    return node.assignedTo === user.id ? { ok: true } : { ok: false, reason: `${node.name} is assigned to another trainee` };
  }
  if (hasRole(user.role, "operator")) return { ok: true };
  return { ok: false, reason: `a terminal on ${node.name} needs the operator role (or the node assigned to you); you are ${user.role}` };
}

/** Who may read what was typed in a session (replay): trainers and admins any, others their own. */
export function canReplay(user: SessionUser, sessionActor: string): boolean {
  return hasRole(user.role, "trainer") || user.name === sessionActor;
}
