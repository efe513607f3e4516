import "server-only";
import type { SessionUser } from "@/lib/contracts/auth";
import type { TraineeAnswer, TraineeView } from "@/lib/contracts/training";
import { recordAudit } from "../audit/record";
import { createUser, getUser, listUsers } from "../auth/users";
import type { Db } from "../db";
import { conflict, AppError, notFound } from "../errors";
import { getNode, listNodes } from "../nodes/repository";
import { PRACTICE_NAME, type PracticeService } from "../practice/service";
import { assignedNodeIds, assignmentOfNode, assignNode, listAssignments, unassign } from "../auth/assignments";

// Trainees and their practice node: trainers and admins create trainees and give each a
// practice node, one they pick or "auto": a free one (a running one first), else a new one started
// for them.

export function listTrainees(db: Db): TraineeView[] {
  const byUser = new Map(listAssignments(db).map((a) => [a.userId, a.nodeId]));
  return listUsers(db)
    .filter((u) => u.role === "trainee")
    .map((u) => {
      const nodeId = byUser.get(u.id);
      const node = nodeId ? getNode(db, nodeId) : null;
      return { id: u.id, name: u.name, disabled: u.disabled, node: node ? { id: node.id, name: node.name } : null, createdAt: u.createdAt, lastSignInAt: u.lastSignInAt };
    });
}

function traineeView(db: Db, userId: string): TraineeView {
  return listTrainees(db).find((t) => t.id === userId)!;
}

/** A free registered practice node (no trainee has it), running ones first; null when none is free. */
function freePracticeNode(db: Db, practice: PracticeService): string | null {
  const free = listNodes(db).filter((n) => n.practice && PRACTICE_NAME.test(n.name) && !assignmentOfNode(db, n.id));
  const running = free.filter((n) => practice.isRunning(Number(PRACTICE_NAME.exec(n.name)![1])));
  return (running[0] ?? free[0])?.id ?? null;
}

/** Give the trainee `choice`: a node id, "auto", or null (none). Returns the node being started for them, if any. */
export function assignPracticeNode(db: Db, practice: PracticeService, actor: SessionUser, userId: string, choice: string | "auto" | null): TraineeAnswer {
  const user = getUser(db, userId);
  if (!user) throw notFound(`user ${userId}`);
  if (user.role !== "trainee") throw conflict(`${user.name} is ${user.role === "admin" ? "an" : "a"} ${user.role}, not a trainee: only trainees get a practice node of their own`);
  let starting: TraineeAnswer["starting"] = null;
  if (choice === null) {
    unassign(db, userId);
  } else {
    let nodeId = choice === "auto" ? freePracticeNode(db, practice) : choice;
    if (choice === "auto" && nodeId === null) {
      // No free node: start a new one; it is assigned when it is up.
      unassign(db, userId);
      const op = practice.add(actor, { assignTo: userId });
      starting = { opId: op.opId, name: `practice-${op.number}` };
      recordAudit(db, { actor: actor.name, action: "trainee-assigned", detail: { user: user.name, node: starting.name, auto: true, starting: true } });
      return { trainee: traineeView(db, userId), starting };
    }
    const node = nodeId ? getNode(db, nodeId) : null;
    if (!node || !node.practice) throw new AppError("invalid_input", `node: ${node ? `${node.name} is not a practice node` : "no such node"}`, { field: "node" });
    const holder = assignmentOfNode(db, node.id);
    if (holder && holder.userId !== userId) throw conflict(`${node.name} is already ${getUser(db, holder.userId)?.name ?? "someone"}'s practice node: pick another, or "auto"`);
    nodeId = node.id;
    if (!assignedNodeIds(db, userId).includes(nodeId)) assignNode(db, userId, nodeId, actor.name);
    recordAudit(db, { actor: actor.name, action: "trainee-assigned", nodeId, detail: { user: user.name, node: node.name, auto: choice === "auto" } });
  }
  if (choice === null) recordAudit(db, { actor: actor.name, action: "trainee-unassigned", detail: { user: user.name } });
  return { trainee: traineeView(db, userId), starting };
}

/** Would giving a new trainee `choice` work? Checked before the user exists, so a refusal leaves nothing half made. */
function precheck(db: Db, practice: PracticeService, choice: string | "auto" | null): void {
  if (choice === null) return;
  if (choice === "auto") {
    if (freePracticeNode(db, practice) === null) practice.requireRoom("a new practice node");
    return;
  }
  const node = getNode(db, choice);
  if (!node || !node.practice) throw new AppError("invalid_input", `node: ${node ? `${node.name} is not a practice node` : "no such node"}`, { field: "node" });
  if (assignmentOfNode(db, node.id)) throw conflict(`${node.name} is already another trainee's practice node: pick another, or "auto"`);
}

export async function createTrainee(
  db: Db,
  practice: PracticeService,
  actor: SessionUser,
  body: { name: string; password: string; node: string | "auto" | null },
): Promise<TraineeAnswer> {
  precheck(db, practice, body.node);
  const user = await createUser(db, { name: body.name, role: "trainee", password: body.password });
  recordAudit(db, { actor: actor.name, action: "user-created", detail: { user: user.name, role: "trainee" } });
  return assignPracticeNode(db, practice, actor, user.id, body.node);
}
