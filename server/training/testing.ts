import "server-only";
import type { SessionUser } from "@/lib/contracts/auth";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { createUser } from "../auth/users";
import { db } from "../db";
import { practice } from "../practice";

// For the integration test and the benchmark: a trainer gives a new trainee a practice node the way
// the dashboard does (none is free, so one is started for them through the lab's CLI).

export async function traineeWithPracticeNode(prefix: string): Promise<{ trainer: SessionUser; trainee: SessionUser; node: NodeSummary }> {
  const user = async (name: string, role: SessionUser["role"]): Promise<SessionUser> => {
    const u = await createUser(db(), { name, role, password: "long-enough-password" });
    return { id: u.id, name: u.name, role: u.role };
  };
  const trainer = await user(`${prefix}-trainer`, "trainer");
  const trainee = await user(`${prefix}-trainee`, "trainee");
  const added = await practice().add(trainer, { assignTo: trainee.id }).done;
  if (!added.ok || !added.node) throw new Error(`no practice node for ${trainee.name}: ${added.message}`);
  return { trainer, trainee, node: added.node };
}
