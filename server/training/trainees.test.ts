import { beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/contracts/auth";
import { createUser, findUserForSignIn } from "../auth/users";
import { openDb, type Db } from "../db";
import { getNodeByName } from "../nodes/repository";
import { fakePractice } from "../practice/testing";
import { assignedNodeIds } from "../auth/assignments";
import { assignPracticeNode, createTrainee, listTrainees } from "./trainees";

let db: Db;
let trainer: SessionUser;

beforeEach(async () => {
  db = openDb(":memory:");
  const u = await createUser(db, { name: "tina", role: "trainer", password: "long-enough-password" });
  trainer = { id: u.id, name: u.name, role: u.role };
});

const body = (name: string, node: string | "auto" | null) => ({ name, password: "long-enough-password", node });

describe("trainees and their practice node", () => {
  it("auto: a free running node first; when none is free, a new one is started and assigned once up", async () => {
    const { service, lab } = fakePractice(db);
    await service.add(trainer).done;
    await service.add(trainer).done;
    await service.perform(1, "stop", "tina");
    const ann = await createTrainee(db, service, trainer, body("ann", "auto"));
    expect(ann).toMatchObject({ trainee: { name: "ann", node: { name: "practice-2" } }, starting: null });
    const ben = await createTrainee(db, service, trainer, body("ben", "auto"));
    expect(ben.trainee.node?.name).toBe("practice-1");
    const cat = await createTrainee(db, service, trainer, body("cat", "auto"));
    expect(cat).toMatchObject({ trainee: { node: null }, starting: { name: "practice-3" } });
    await expect.poll(() => listTrainees(db).find((t) => t.name === "cat")?.node?.name).toBe("practice-3");
    expect(lab.commands).toContain("start 3");
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'trainee-assigned'").pluck().get()).toBe(4);
  });

  it("a node another trainee has is refused before the user is created; a production node is no practice node", async () => {
    const { service } = fakePractice(db);
    await service.add(trainer).done;
    const p1 = getNodeByName(db, "practice-1")!;
    await createTrainee(db, service, trainer, body("ann", p1.id));
    await expect(createTrainee(db, service, trainer, body("ben", p1.id))).rejects.toThrow(/practice-1 is already another trainee's practice node/);
    expect(findUserForSignIn(db, "ben")).toBeNull();
    expect(listTrainees(db).map((t) => t.name)).toEqual(["ann"]);
  });

  it("reassigning moves the trainee; null takes the node away; only trainees get one", async () => {
    const { service } = fakePractice(db);
    await service.add(trainer).done;
    await service.add(trainer).done;
    const ann = await createTrainee(db, service, trainer, body("ann", null));
    expect(ann.trainee.node).toBeNull();
    const p2 = getNodeByName(db, "practice-2")!;
    expect(assignPracticeNode(db, service, trainer, ann.trainee.id, p2.id).trainee.node?.name).toBe("practice-2");
    expect(assignedNodeIds(db, ann.trainee.id)).toEqual([p2.id]);
    expect(assignPracticeNode(db, service, trainer, ann.trainee.id, null).trainee.node).toBeNull();
    expect(() => assignPracticeNode(db, service, trainer, trainer.id, "auto")).toThrow(/tina is a trainer, not a trainee/);
  });

  it("auto with no free node and no room says so before creating anyone", async () => {
    const { service, lab } = fakePractice(db);
    lab.available = 1000;
    await expect(createTrainee(db, service, trainer, body("ann", "auto"))).rejects.toThrow(/cannot start a new practice node: 0 practice nodes are running/);
    expect(listTrainees(db)).toEqual([]);
  });
});
