import { beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/contracts/auth";
import { createUser } from "../auth/users";
import { openDb, type Db } from "../db";
import { AppError } from "../errors";
import { getNodeByName } from "../nodes/repository";
import { createRun } from "../runs/repository";
import { assignNode } from "../auth/assignments";
import { getOp } from "./ops";
import { fakePractice, type FakeLab } from "./testing";

let db: Db;
let trainer: SessionUser;
let alice: SessionUser;
let bob: SessionUser;
let viewer: SessionUser;

const as = async (name: string, role: SessionUser["role"]): Promise<SessionUser> => {
  const u = await createUser(db, { name, role, password: "long-enough-password" });
  return { id: u.id, name: u.name, role: u.role };
};

async function started(lab: FakeLab, service: ReturnType<typeof fakePractice>["service"], user: SessionUser) {
  const op = service.add(user);
  await op.done;
  return getNodeByName(db, `practice-${op.number}`)!;
}

const status = (fn: () => unknown): number => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.rule.status;
    throw error;
  }
  return 200;
};

beforeEach(async () => {
  db = openDb(":memory:");
  trainer = await as("tina", "trainer");
  alice = await as("alice", "trainee");
  bob = await as("bob", "trainee");
  viewer = await as("vic", "viewer");
});

describe("practice nodes from the browser", () => {
  it("a trainer adds nodes; the operation records its phases and registers the node; SSH address and memory show", async () => {
    const { service, lab, forgotten } = fakePractice(db);
    const op = service.add(trainer);
    expect(op.number).toBe(1);
    const outcome = await op.done;
    expect(outcome).toMatchObject({ ok: true, message: "practice-1 is ready" });
    expect(lab.commands).toEqual(["start 1"]);
    const stored = getOp(db, op.opId)!;
    expect(stored).toMatchObject({ kind: "start", status: "succeeded", actor: "tina" });
    expect(stored.events.map((e) => e.message)).toEqual(["start: first phase", "start: done"]);
    const view = service.overview(trainer).nodes[0];
    expect(view).toMatchObject({ name: "practice-1", state: "running", ssh: "prep@127.0.0.1 -p 2201", memoryMiB: 768, residentMiB: 1600, can: { start: false, stop: true, reset: true } });
    expect(forgotten).toEqual([view.nodeId]);
    expect(db.prepare("SELECT action, actor FROM audit_log WHERE action LIKE 'practice-%'").all()).toEqual([{ action: "practice-start", actor: "tina" }]);
  });

  it("an operation in progress shows as such and holds the node: a second one is refused naming it", async () => {
    const { service, lab } = fakePractice(db);
    const node = await started(lab, service, trainer);
    lab.hold();
    const reset = service.act(trainer, node.id, "reset");
    expect(service.overview(trainer).nodes[0]).toMatchObject({ state: "resetting", can: { start: false, stop: false, reset: false } });
    expect(() => service.act(trainer, node.id, "stop")).toThrow(/practice-1 is busy: reset of the practice node \(by tina\)/);
    lab.release();
    await reset.done;
    expect(service.overview(trainer).nodes[0].state).toBe("running");
  });

  it("a trainee sees and resets only their own node; stopping, and another's node, are refused", async () => {
    const { service, lab } = fakePractice(db);
    const mine = await started(lab, service, trainer);
    const theirs = await started(lab, service, trainer);
    assignNode(db, alice.id, mine.id, "tina");
    assignNode(db, bob.id, theirs.id, "tina");
    const view = service.overview(alice);
    expect(view.nodes.map((n) => n.name)).toEqual(["practice-1"]);
    expect(view.nodes[0]).toMatchObject({ trainee: "alice", can: { stop: false, reset: true } });
    expect(view.canAdd).toBe(false);
    expect(status(() => service.act(alice, theirs.id, "reset"))).toBe(403);
    expect(status(() => service.act(alice, mine.id, "stop"))).toBe(403);
    expect(status(() => service.add(alice))).toBe(403);
    expect(status(() => service.act(viewer, mine.id, "reset"))).toBe(403);
    await service.act(alice, mine.id, "reset").done;
    expect(lab.commands.at(-1)).toBe("reset 1");
  });

  it("the limit follows free memory (with a reserve), or NODEPREP_PRACTICE_MAX_RUNNING; at the limit a start says why", async () => {
    const { service, lab, config } = fakePractice(db);
    lab.available = 1536 + 2 * 1792 + 100;
    expect(service.limits()).toMatchObject({ running: 0, maxRunning: 2, overridden: false });
    await started(lab, service, trainer);
    lab.available -= 1792;
    await started(lab, service, trainer);
    lab.available -= 1792;
    expect(service.limits()).toMatchObject({ running: 2, maxRunning: 2 });
    expect(() => service.add(trainer)).toThrow(/cannot start practice-3: 2 practice nodes are running, the most this dashboard allows \(this machine has \d+ MiB available and each node needs about 1792 MiB/);
    config.maxRunning = 5;
    expect(service.limits()).toMatchObject({ maxRunning: 5, overridden: true });
    await service.add(trainer).done;
    config.maxRunning = 1;
    const node = getNodeByName(db, "practice-1")!;
    await service.act(trainer, node.id, "stop").done;
    expect(() => service.act(trainer, node.id, "start")).toThrow(/NODEPREP_PRACTICE_MAX_RUNNING is 1/);
  });

  it("a failed lab command fails the operation with the lab's reason", async () => {
    const { service, lab } = fakePractice(db);
    lab.fail = "qemu-system-x86_64 exited with 1: could not allocate memory";
    const op = service.add(trainer);
    expect(await op.done).toMatchObject({ ok: false });
    expect(getOp(db, op.opId)).toMatchObject({ status: "failed", message: "practice-1: start failed: qemu-system-x86_64 exited with 1: could not allocate memory" });
  });

  it("refuses to reset a node while a run of the wizard is in progress on it", async () => {
    const { service, lab } = fakePractice(db);
    const node = await started(lab, service, trainer);
    createRun(db, { mode: "apply", stepIds: ["kernel-modules"], nodes: [{ id: node.id, name: node.name }], actor: "alice" });
    expect(() => service.act(trainer, node.id, "reset")).toThrow(/a run is in progress on practice-1 \(run [0-9a-f-]+ by alice\): wait for it or cancel it first/);
  });

  it("stops nodes idle for the configured time, not busy or recently used ones; 0 turns it off", async () => {
    let clock = Date.now();
    const { service, lab, config } = fakePractice(db, undefined, { idleStopMinutes: 60 }, () => clock);
    await started(lab, service, trainer);
    const used = await started(lab, service, trainer);
    clock += 61 * 60_000;
    service.touch(used.id);
    const stopping = service.sweepIdle();
    expect(stopping.map((s) => s.name)).toEqual(["practice-1"]);
    await Promise.all(stopping.map((s) => s.done));
    expect(lab.running().map((n) => n.name)).toEqual(["practice-2"]);
    const last = db.prepare("SELECT actor, reason FROM practice_ops WHERE kind = 'stop'").get();
    expect(last).toEqual({ actor: "system", reason: "idle for 60 min" });
    config.idleStopMinutes = 0;
    clock += 10 * 60 * 60_000;
    expect(service.sweepIdle()).toEqual([]);
  });

  it("adding a node for a trainee assigns it once it is up", async () => {
    const { service } = fakePractice(db);
    const op = service.add(trainer, { assignTo: alice.id });
    await op.done;
    expect(service.overview(alice).nodes.map((n) => n.name)).toEqual(["practice-1"]);
  });
});
