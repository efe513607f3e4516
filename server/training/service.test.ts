import { spawnSync } from "node:child_process";
import { beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/contracts/auth";
import type { ProbeResult, ProbeStatus } from "@/lib/contracts/catalog";
import { createUser } from "../auth/users";
import { openDb, type Db } from "../db";
import { AppError } from "../errors";
import { getNodeByName } from "../nodes/repository";
import { fakePractice } from "../practice/testing";
import { assignNode } from "../auth/assignments";
import { getAttempt } from "./attempts";
import type { TrainingHost } from "./host";
import { progressCsv, progressTable } from "./progress";
import { failedFaultCommand, faultScript } from "./fault";
import { createTrainingService } from "./service";

// The training service with a fake lab and a fake node: what the node answers is a function of what
// happened to it (the fault, a fix, a reboot), so start, check, reboot and progress are exercised
// without a VM. The real thing runs in test/integration/training.int.test.ts.

class FakeNode implements TrainingHost {
  ran: string[] = [];
  reboots = 0;
  /** probe -> status now; `afterBoot` overrides after a reboot. */
  status = new Map<string, ProbeStatus>();
  afterBoot = new Map<string, ProbeStatus>();
  failCommand: string | null = null;
  /** The fault arrives as one script: run it in a real /bin/sh with each command echoed instead of run. */
  async runRoot(script: string) {
    const commands = script.split("\n").flatMap((l) => (l.startsWith("{ ") ? [l.slice(2)] : []));
    this.ran.push(...commands);
    const fail = commands.indexOf(this.failCommand ?? "");
    if (fail < 0) return { code: 0, output: "" };
    this.ran.splice(this.ran.length - commands.length + fail + 1);
    return { code: 1, output: `sed: can't read /etc/containerd/config.toml: No such file or directory\n\n@@nodeprep-fault ${fail} 1@@\n` };
  }
  async observe(ids: readonly string[]): Promise<ProbeResult[]> {
    return ids.map((id) => {
      const status = this.status.get(id) ?? "ok";
      return { probeId: id, title: id, status, observed: status, expected: "ok", detail: "", checks: [], data: null, raw: [{ command: `probe ${id}`, output: status, exitCode: 0 }], fixStepId: null };
    });
  }
  async reboot(onProgress: (m: string) => void) {
    this.reboots++;
    onProgress("rebooting");
    for (const [k, v] of this.afterBoot) this.status.set(k, v);
  }
}

let db: Db;
let alice: SessionUser;
let bob: SessionUser;
let trainer: SessionUser;
let node: FakeNode;
let applied: string[][];
let clock: number;

const user = async (name: string, role: SessionUser["role"]): Promise<SessionUser> => {
  const u = await createUser(db, { name, role, password: "long-enough-password" });
  return { id: u.id, name: u.name, role: u.role };
};

function setup() {
  const practice = fakePractice(db);
  const service = createTrainingService({
    db,
    practice: practice.service,
    host: () => node,
    applySteps: async (stepIds) => {
      applied.push([...stepIds]);
      return { ok: true, message: "changed and verified on 1 node" };
    },
    now: () => new Date(clock),
    runtimeBase: "runtime-test",
  });
  return { service, practice };
}

const httpStatus = async (fn: () => unknown): Promise<number> => {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error.rule.status;
    throw error;
  }
  return 200;
};

beforeEach(async () => {
  db = openDb(":memory:");
  alice = await user("alice", "trainee");
  bob = await user("bob", "trainee");
  trainer = await user("tina", "trainer");
  node = new FakeNode();
  applied = [];
  clock = Date.parse("2030-05-01T09:00:00Z");
});

async function aliceWithNode() {
  const { service, practice } = setup();
  await practice.service.add(trainer, { assignTo: alice.id }).done;
  return { service, practice, nodeId: getNodeByName(db, "practice-1")!.id };
}

describe("a scenario from start to passed", () => {
  it("start: resets the node, breaks it with the fault's commands, checks once; the attempt is ready", async () => {
    const { service, practice } = await aliceWithNode();
    node.status.set("sysctl-values", "fail").set("sysctl-at-boot", "fail");
    const { attemptId, done } = service.start(alice, "sysctl-overridden");
    await done;
    const a = getAttempt(db, attemptId)!;
    expect(a).toMatchObject({ state: "ready", checks: 0, nodeName: "practice-1" });
    expect(a.op).toMatchObject({ kind: "start", status: "succeeded", message: "ready: 2 objectives to put right" });
    expect(a.op!.events.map((e) => e.message)).toEqual([
      "resetting practice-1 from its snapshot",
      "reset: first phase",
      "reset: done",
      "breaking it: 6 commands as root",
      "first check of the objectives",
      "checking 2 objectives on the node",
    ]);
    expect(practice.lab.commands).toEqual(["start 1", "reset 1"]);
    expect(node.ran[0]).toBe("modprobe overlay");
    expect(node.ran.at(-1)).toBe("sysctl --system");
    expect(applied).toEqual([]);
    expect(a.lastCheck!.objectives.map((o) => [o.probeId, o.passed])).toEqual([
      ["sysctl-values", false],
      ["sysctl-at-boot", false],
    ]);
  });

  it("a runtime scenario starts from the runtime installed by every wizard step: made once, saved as a base, restored after", async () => {
    const { service, practice } = await aliceWithNode();
    node.status.set("cni-plugins", "fail");
    const first = service.start(alice, "cni-loopback-missing");
    await first.done;
    expect(applied).toEqual([["kernel-modules", "sysctl", "containerd", "runc", "cni-plugins", "containerd-service", "cgroup-driver", "kubelet-cgroup-driver", "swap"]]);
    expect(node.ran).toEqual(["rm -f /opt/cni/bin/loopback"]);
    expect(practice.lab.commands).toEqual(["start 1", "reset 1", "save-base 1 runtime-test", "start 1 --base runtime-test"]);
    expect(getAttempt(db, first.attemptId)!.state).toBe("ready");

    node.status.set("swap-off", "fail");
    node.status.set("containerd-active", "fail");
    await service.start(alice, "containerd-not-enabled").done;
    expect(applied).toHaveLength(1);
    expect(practice.lab.commands.at(-1)).toBe("reset 1 --base runtime-test");
  });

  it("a fault that does not break a live objective fails the start, naming it", async () => {
    const { service } = await aliceWithNode();
    const { attemptId, done } = service.start(alice, "swap-on");
    await done;
    expect(getAttempt(db, attemptId)).toMatchObject({ state: "failed-to-start", op: { status: "failed", message: "the fault did not break swap off: this scenario is broken on this node (tell your trainer)" } });
  });

  it("the fault runs as one script; a command that fails stops it, named with its exit code and output", async () => {
    const script = faultScript(["true", "ls /nonexistent-np", "echo never"]);
    const real = spawnSync("sh", ["-c", script], { encoding: "utf8" });
    expect(real.status).toBe(2);
    expect(failedFaultCommand(real.stderr)).toEqual({ index: 1, code: 2 });
    const { service } = await aliceWithNode();
    node.failCommand = "systemctl restart containerd";
    const { attemptId, done } = service.start(alice, "cri-disabled");
    await done;
    expect(getAttempt(db, attemptId)!.op!.message).toBe(
      "the scenario's fault failed (exit 1): systemctl restart containerd: sed: can't read /etc/containerd/config.toml: No such file or directory",
    );
  });

  it("check: a live failure is graded without a reboot; once everything passes live, the grader reboots, and the boot decides", async () => {
    const { service } = await aliceWithNode();
    // Scenario 2: modules-persisted fails live; the module and the bridge sysctls only after a boot.
    node.status.set("modules-persisted", "fail");
    node.afterBoot.set("module-br-netfilter", "fail").set("sysctl-values", "fail");
    const { attemptId, done } = service.start(alice, "br-netfilter-not-at-boot");
    await done;
    clock += 60_000;
    await service.check(alice, attemptId).done;
    let a = getAttempt(db, attemptId)!;
    expect(node.reboots).toBe(0);
    expect(a).toMatchObject({ state: "ready", checks: 1 });
    expect(a.lastCheck!.summary).toBe("2 of 3 objectives pass. The reboot check comes once everything passes live.");

    // The trainee fixes the file (live passes); the boot still loses the module: not yet.
    node.status.set("modules-persisted", "ok");
    node.status.set("module-br-netfilter", "ok");
    await service.check(alice, attemptId).done;
    a = getAttempt(db, attemptId)!;
    expect(node.reboots).toBe(1);
    expect(a.state).toBe("ready");
    expect(a.lastCheck!.objectives.filter((o) => o.checkedAfterReboot).map((o) => [o.probeId, o.passed])).toEqual([
      ["module-br-netfilter", false],
      ["sysctl-values", false],
    ]);

    // Fixed for good: passes after the reboot too.
    node.afterBoot.clear();
    node.status.set("module-br-netfilter", "ok").set("sysctl-values", "ok");
    clock += 5 * 60_000;
    await service.check(alice, attemptId).done;
    a = getAttempt(db, attemptId)!;
    expect(a).toMatchObject({ state: "passed", checks: 3 });
    expect(a.lastCheck).toMatchObject({ passed: true, rebooted: true, summary: "Passed: all 3 objectives hold, after a reboot too." });
    expect(Date.parse(a.passedAt!) - Date.parse(a.readyAt!)).toBe(6 * 60_000);
  });

  it("hints open one at a time, the solution is counted, and both show in the progress table and its CSV", async () => {
    const { service } = await aliceWithNode();
    node.status.set("cni-plugins", "fail");
    const { attemptId, done } = service.start(alice, "cni-loopback-missing");
    await done;
    expect(service.attemptView(alice, attemptId).hints).toEqual([]);
    expect(service.hint(alice, attemptId).hints).toHaveLength(1);
    expect(service.hint(alice, attemptId).hints[1]).toContain("<code>cni-plugins-linux-&lt;arch&gt;-&lt;version&gt;.tgz</code>");
    expect(await httpStatus(() => service.hint(alice, attemptId))).toBe(409);
    const withSolution = service.solution(alice, attemptId);
    expect(withSolution.solution).toMatchObject({ steps: [{ id: "cni-plugins", title: "CNI plugins" }], commands: [] });
    node.status.set("cni-plugins", "ok");
    await service.check(alice, attemptId).done;

    const table = progressTable(db);
    const row = table.trainees.find((t) => t.name === "alice")!;
    expect(row.node).toBe("practice-1");
    expect(row.scenarios["cni-loopback-missing"]).toMatchObject({ status: "passed", attempts: 1, checks: 1, hintsOpened: 2, solutionViewed: true, lastVerdicts: [{ probeId: "cni-plugins", passed: true }] });
    expect(row.scenarios["swap-on"].status).toBe("not-started");
    expect(table.trainees.map((t) => t.name)).toEqual(["alice", "bob"]);
    const csv = progressCsv(table).split("\r\n");
    expect(csv[0]).toBe('"trainee","practice node","kind","id","title","status","time (s)","attempts","checks","hints opened","solution viewed","last check","last verdicts","self-check score"');
    expect(csv.find((l) => l.includes('"cni-loopback-missing"'))).toMatch(/^"alice","practice-1","scenario","cni-loopback-missing","9\. Pods never get a sandbox: a CNI plugin is missing","passed","\d+","1","1","2","yes","[^"]+","cni-plugins: pass",""$/);
  });
});

describe("who may do what", () => {
  it("a trainee works on their own node only; without one they are told to ask their trainer", async () => {
    const { service, practice } = setup();
    expect(await httpStatus(() => service.start(alice, "swap-on"))).toBe(409);
    await practice.service.add(trainer, { assignTo: alice.id }).done;
    await practice.service.add(trainer, { assignTo: bob.id }).done;
    const bobs = getNodeByName(db, "practice-2")!.id;
    expect(await httpStatus(() => service.start(alice, "swap-on", bobs))).toBe(403);
    node.status.set("swap-off", "fail");
    const { attemptId, done } = service.start(alice, "swap-on");
    await done;
    expect(await httpStatus(() => service.attemptView(bob, attemptId))).toBe(403);
    expect(await httpStatus(() => service.check(bob, attemptId))).toBe(403);
    expect(service.attemptView(trainer, attemptId).user).toBe("alice");
  });

  it("a trainer names the practice node; not a production node", async () => {
    const { service, practice } = setup();
    await practice.service.add(trainer).done;
    expect(await httpStatus(() => service.start(trainer, "swap-on"))).toBe(400);
    const node1 = getNodeByName(db, "practice-1")!;
    assignNode(db, alice.id, node1.id, "tina");
    node.status.set("swap-off", "fail");
    await service.start(trainer, "swap-on", node1.id).done;
    expect(await httpStatus(() => service.start({ ...trainer, role: "operator" }, "swap-on", node1.id))).toBe(403);
  });

  it("a reset from the Practice page abandons the scenario on that node: a fresh node is never graded as a fix", async () => {
    const { service, practice, nodeId } = await aliceWithNode();
    node.status.set("swap-off", "fail");
    const { attemptId, done } = service.start(alice, "swap-on");
    await done;
    await practice.service.act(alice, nodeId, "reset").done;
    expect(getAttempt(db, attemptId)!.state).toBe("abandoned");
    expect(await httpStatus(() => service.check(alice, attemptId))).toBe(409);
  });

  it("one thing at a time on a node: a check while the start runs is refused", async () => {
    const { service, practice } = await aliceWithNode();
    practice.lab.hold();
    node.status.set("swap-off", "fail");
    const { attemptId, done } = service.start(alice, "swap-on");
    expect(await httpStatus(() => service.check(alice, attemptId))).toBe(409);
    expect(await httpStatus(() => service.start(alice, "swap-on"))).toBe(409);
    practice.lab.release();
    await done;
  });
});
