import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Rolling, RunEvent } from "@/lib/contracts/runs";
import { debianFacts } from "../catalog/fixtures/facts";
import type { Probe, Step } from "../catalog/types";
import { openDb, type Db } from "../db";
import { trackHost } from "../hosts/tracked-host";
import { subscribe } from "./bus";
import { createEngine, type Engine } from "./engine";
import { localHost } from "../ssh/testing/fake-host";
import { getRun, listEvents, markInterrupted, stepProgress } from "./repository";

// Rolling runs with the engine's fake host (the local shell): batches one after the other,
// the failure threshold that stops new batches, a cancel in the middle of a batch, and the reasons
// recorded for every node that never started.

let dir: string;
let db: Db;
let engine: Engine;
/** What the step does on each node, by name: succeed, fail, or hang until cancelled. */
let behaviour: Record<string, "ok" | "fail" | "slow">;
const NODES = ["n1", "n2", "n3", "n4", "n5"];
const nameOf = (id: string) => `node-${id.slice(1)}`;

function catalog(d: string) {
  const probes: Probe[] = [
    {
      id: "always-ok",
      title: "always ok",
      fixStepId: null,
      commands: [{ key: "t", command: "echo fine" }],
      data: z.object({}),
      parse: () => ({ status: "ok", observed: "fine", expected: "fine", detail: "", checks: [], data: {} }),
    },
  ];
  const step: Step = {
    id: "roll",
    title: "Roll",
    summary: "",
    requires: [],
    observe: { probes: [], files: [] },
    plan: (facts) => {
      const what = behaviour[facts.hostname] ?? "ok";
      const argv = what === "fail" ? ["sh", "-c", "echo broken >&2; exit 3"] : what === "slow" ? ["sh", "-c", "echo begun; sleep 30"] : ["true"];
      return {
        actions: [
          { kind: "run-command", argv, reason: "the node's own behaviour in this test" },
          { kind: "write-file", path: path.join(d, `${facts.hostname}.done`), mode: 0o644, content: "done\n", reason: "proof it ran" },
        ],
        notes: [],
      };
    },
    verify: ["always-ok"],
  };
  return { steps: [step], getProbe: (id: string) => probes.find((p) => p.id === id)! };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-rolling-"));
  db = openDb(":memory:");
  behaviour = {};
  for (const id of NODES) {
    db.prepare("INSERT INTO nodes (id, name, address, port, username, auth_method, privilege, created_at, updated_at) VALUES (?, ?, '127.0.0.1', 22, 't', 'key', 'root', 'x', 'x')").run(id, nameOf(id));
  }
  engine = createEngine({
    db,
    catalog: catalog(dir),
    describeNode: (id) => (NODES.includes(id) ? { id, name: nameOf(id) } : null),
    openHost: (nodeId, work) => trackHost(localHost(nameOf(nodeId)), { ...work, db, node: { id: nodeId, name: nameOf(nodeId) }, secrets: [] }),
    gatherFacts: async (host) => ({ ...debianFacts, hostname: host.target.name }),
  });
});

afterEach(async () => {
  await engine.idle();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ran = (name: string) => fs.existsSync(path.join(dir, `${name}.done`));
const ofType = <T extends RunEvent["type"]>(list: RunEvent[], type: T) => list.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

async function roll(nodeIds: string[], rolling: Rolling | undefined, mode: "apply" | "check" = "apply") {
  const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds, mode, actor: "alice", rolling });
  await done;
  return { run: getRun(db, runId)!, events: listEvents(db, runId) };
}

describe("rolling runs", () => {
  it("runs the batches one after the other, records the plan and each node's batch", async () => {
    const { run, events } = await roll(NODES, { batch: 2 });
    expect(run.status).toBe("succeeded");
    expect(run.rolling).toEqual({ batch: 2, stopAfter: 1, batchSize: 2, stopAfterFailures: 1, batches: 3 });
    expect(run.nodes.map((n) => [n.name, n.batch, n.status])).toEqual([
      ["node-1", 1, "changed"],
      ["node-2", 1, "changed"],
      ["node-3", 2, "changed"],
      ["node-4", 2, "changed"],
      ["node-5", 3, "changed"],
    ]);
    // No node of a batch starts before every node of the one before it has ended.
    const order = events.filter((e) => e.type === "batch-started" || (e.type === "phase" && e.phase === "connect") || e.type === "node-end");
    const seen = order.map((e) => (e.type === "batch-started" ? `batch ${e.batch}/${e.of}` : `${e.type === "node-end" ? "end" : "start"} ${e.nodeId}`));
    const at = (label: string) => seen.indexOf(label);
    for (const [later, earlier] of [["n3", "n1"], ["n3", "n2"], ["n5", "n4"], ["n5", "n3"]]) expect(at(`start ${later}`)).toBeGreaterThan(at(`end ${earlier}`));
    expect(seen.filter((s) => s.startsWith("batch"))).toEqual(["batch 1/3", "batch 2/3", "batch 3/3"]);
    expect(ofType(events, "run-started")[0].rolling).toEqual(run.rolling);
    expect(ofType(events, "run-started")[0].nodes.map((n) => n.batch)).toEqual([1, 1, 2, 2, 3]);
  });

  it("stops starting batches once the threshold is reached, and says why on every node it did not start (nothing ran there)", async () => {
    behaviour = { "node-2": "fail" };
    const { run, events } = await roll(NODES, { batch: 2 });
    expect(run.status).toBe("failed");
    expect(run.message).toBe("rollout stopped after batch 1 of 3: 1 of 2 nodes failed, the limit is 1; 3 nodes not started");
    expect(run.nodes.map((n) => [n.name, n.status])).toEqual([
      ["node-1", "changed"],
      ["node-2", "failed"],
      ["node-3", "skipped"],
      ["node-4", "skipped"],
      ["node-5", "skipped"],
    ]);
    for (const n of run.nodes.slice(2)) expect(n.message).toBe("not started (stopped after batch 1 of 3: 1 of 2 nodes failed, the limit is 1)");
    expect([ran("node-1"), ran("node-3"), ran("node-4"), ran("node-5")]).toEqual([true, false, false, false]);
    // Nothing was opened on the skipped nodes: no phase, no command, no audit row; their steps keep no outcome.
    expect(events.filter((e) => ["n3", "n4", "n5"].includes(e.nodeId ?? "") && e.type !== "node-end")).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE node_id IN ('n3', 'n4', 'n5')").pluck().get()).toBe(0);
    expect(stepProgress(db, ["n3"], ["roll"])[0].state).toBe("not-started");
    expect(ofType(events, "batch-started").map((e) => e.batch)).toEqual([1]);
  });

  it("goes on below the threshold: a count, or a percentage of the run's nodes (rounded up)", async () => {
    behaviour = { "node-1": "fail" };
    const byCount = await roll(NODES, { batch: 1, stopAfter: 2 });
    expect(byCount.run.nodes.map((n) => n.status)).toEqual(["failed", "changed", "changed", "changed", "changed"]);
    expect(byCount.run.message).toBe("1 of 5 nodes did not finish: see each node's log");

    behaviour = { "node-1": "fail", "node-2": "fail" };
    // 40% of 5 = 2 failures; batches of 20% = 1 node.
    const byPercent = await roll(NODES, { batch: "20%", stopAfter: "40%" });
    expect(byPercent.run.rolling).toMatchObject({ batchSize: 1, stopAfterFailures: 2, batches: 5 });
    expect(byPercent.run.nodes.map((n) => n.status)).toEqual(["failed", "failed", "skipped", "skipped", "skipped"]);
    expect(byPercent.run.message).toBe("rollout stopped after batch 2 of 5: 2 of 2 nodes failed, the limit is 2; 3 nodes not started");
  });

  it("a failure in the last batch stops nothing more: the run fails with the usual message", async () => {
    behaviour = { "node-5": "fail" };
    const { run } = await roll(NODES, { batch: 2 });
    expect(run.nodes.map((n) => n.status)).toEqual(["changed", "changed", "changed", "changed", "failed"]);
    expect(run.message).toBe("1 of 5 nodes did not finish: see each node's log");
  });

  it("cancel in the middle of a batch stops its commands, and the later batches are recorded as not started", async () => {
    behaviour = { "node-3": "slow" };
    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: NODES, mode: "apply", actor: "alice", rolling: { batch: 2 } });
    await new Promise<void>((resolve) => {
      const off = subscribe(runId, (e) => {
        if (e.type === "output" && e.line === "begun") {
          off();
          resolve();
        }
      });
    });
    expect(engine.cancel(runId, "bob")).toBe(true);
    await done;
    const run = getRun(db, runId)!;
    expect(run.status).toBe("cancelled");
    expect(run.message).toBe("rollout cancelled by bob during batch 2 of 3; 1 node not started");
    expect(run.nodes.map((n) => [n.name, n.status])).toEqual([
      ["node-1", "changed"],
      ["node-2", "changed"],
      ["node-3", "cancelled"],
      ["node-4", expect.stringMatching(/^(changed|cancelled)$/)], // its own command may end before the cancel lands
      ["node-5", "skipped"],
    ]);
    expect(run.nodes[4].message).toBe("not started (cancelled by bob during batch 2 of 3)");
    expect(ran("node-3") || ran("node-5")).toBe(false);
  });

  it("a Check ignores the batches: every node at once, no plan recorded", async () => {
    behaviour = { "node-1": "fail" };
    const { run, events } = await roll(["n1", "n2", "n3"], { batch: 1 }, "check");
    expect(run.rolling).toBeNull();
    expect(run.nodes.map((n) => [n.batch, n.status])).toEqual([
      [null, "pending-changes"],
      [null, "pending-changes"],
      [null, "pending-changes"],
    ]);
    expect(ofType(events, "batch-started")).toEqual([]);
  });

  it("a dashboard stop between batches leaves the nodes not yet started interrupted, with their batch kept", async () => {
    behaviour = { "node-1": "slow" };
    const { runId } = engine.start({ stepIds: ["roll"], nodeIds: ["n1", "n2"], mode: "apply", actor: "alice", rolling: { batch: 1 } });
    await new Promise<void>((resolve) => {
      const off = subscribe(runId, (e) => {
        if (e.type === "output" && e.line === "begun") {
          off();
          resolve();
        }
      });
    });
    expect(markInterrupted(db)).toEqual([runId]);
    const run = getRun(db, runId)!;
    expect(run.nodes.map((n) => [n.batch, n.status])).toEqual([
      [1, "interrupted"],
      [2, "interrupted"],
    ]);
    expect(run.nodes[1].message).toMatch(/before it started/);
    engine.cancel(runId, "test");
  });
});

/** Resolves with the first event of the run that `match` accepts, from now on. */
function nextEvent<T extends RunEvent["type"]>(runId: string, type: T, match: (e: Extract<RunEvent, { type: T }>) => boolean = () => true) {
  return new Promise<Extract<RunEvent, { type: T }>>((resolve) => {
    const off = subscribe(runId, (e) => {
      if (e.type === type && match(e as Extract<RunEvent, { type: T }>)) {
        off();
        resolve(e as Extract<RunEvent, { type: T }>);
      }
    });
  });
}

describe("rolling runs: the canary batch and the pause between batches", () => {
  it("runs the canary batch, waits for Continue with the reason recorded, then the rest; the audit log says who continued", async () => {
    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: NODES, mode: "apply", actor: "alice", rolling: { batch: 2, canary: true } });
    const waiting = await nextEvent(runId, "rollout-waiting");
    expect(waiting.wait).toEqual({ kind: "canary", afterBatch: 1, of: 3, reason: "waiting for Continue after the canary batch: 2 of 2 nodes ok" });
    let run = getRun(db, runId)!;
    expect(run.status).toBe("running");
    expect(run.waiting).toEqual(waiting.wait);
    expect(run.rolling).toEqual({ batch: 2, stopAfter: 1, batchSize: 2, stopAfterFailures: 1, batches: 3, canarySize: 2 });
    expect(run.nodes.map((n) => n.status)).toEqual(["changed", "changed", "pending", "pending", "pending"]);
    expect([ran("node-3"), ran("node-4"), ran("node-5")]).toEqual([false, false, false]);

    // A stale page (it saw another wait) continues nothing; the right one does.
    expect(engine.continueRun(runId, "carol", 2)).toMatchObject({ ok: false, why: "other-batch" });
    expect(engine.continueRun(runId, "carol", 1)).toEqual({ ok: true });
    await done;
    run = getRun(db, runId)!;
    expect(run.status).toBe("succeeded");
    expect(run.waiting).toBeNull();
    expect(run.nodes.map((n) => n.status)).toEqual(["changed", "changed", "changed", "changed", "changed"]);
    const events = listEvents(db, runId);
    expect(ofType(events, "rollout-continued")).toMatchObject([{ afterBatch: 1, by: "carol" }]);
    // Batch 2 starts only after the Continue.
    const seqOf = (e: RunEvent | undefined) => e?.seq ?? -1;
    expect(seqOf(ofType(events, "batch-started").find((e) => e.batch === 2))).toBeGreaterThan(seqOf(ofType(events, "rollout-continued")[0]));
    const audit = db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'run-continued' AND run_id = ?").all(runId) as { actor: string; detail: string }[];
    expect(audit.map((a) => [a.actor, JSON.parse(a.detail).afterBatch])).toEqual([["carol", 1]]);
    expect(engine.continueRun(runId, "carol", 1)).toMatchObject({ ok: false, why: "not-active" });
  });

  it("a canary of its own size comes first; a Continue while a batch runs is refused", async () => {
    behaviour = { "node-1": "slow" };
    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: NODES, mode: "apply", actor: "alice", rolling: { batch: 2, canary: 1 } });
    await nextEvent(runId, "output", (e) => e.line === "begun");
    expect(engine.continueRun(runId, "carol", 1)).toMatchObject({ ok: false, why: "not-waiting" });
    expect(getRun(db, runId)!.nodes.map((n) => n.batch)).toEqual([1, 2, 2, 3, 3]);
    engine.cancel(runId, "carol");
    await done;
  });

  it("a canary that fails at the threshold stops the rollout without waiting; below it, the wait says how many were ok", async () => {
    behaviour = { "node-2": "fail" };
    const stopped = await roll(NODES, { batch: 2, canary: true });
    expect(stopped.run.message).toBe("rollout stopped after batch 1 of 3: 1 of 2 nodes failed, the limit is 1; 3 nodes not started");
    expect(ofType(stopped.events, "rollout-waiting")).toEqual([]);

    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: NODES, mode: "apply", actor: "alice", rolling: { batch: 2, stopAfter: 2, canary: true } });
    expect((await nextEvent(runId, "rollout-waiting")).wait.reason).toBe("waiting for Continue after the canary batch: 1 of 2 nodes ok");
    engine.continueRun(runId, "carol", 1);
    await done;
    expect(getRun(db, runId)!.nodes.map((n) => n.status)).toEqual(["changed", "failed", "changed", "changed", "changed"]);
  });

  it("cancel while waiting for Continue: the rest are not started, with who cancelled and where the rollout stood", async () => {
    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: NODES, mode: "apply", actor: "alice", rolling: { batch: 2, canary: true } });
    await nextEvent(runId, "rollout-waiting");
    expect(engine.cancel(runId, "bob")).toBe(true);
    await done;
    const run = getRun(db, runId)!;
    expect(run.status).toBe("cancelled");
    expect(run.waiting).toBeNull();
    expect(run.message).toBe("rollout cancelled by bob while waiting after batch 1 of 3; 3 nodes not started");
    expect(run.nodes.map((n) => [n.status, n.message])).toEqual([
      ["changed", expect.any(String)],
      ["changed", expect.any(String)],
      ...Array(3).fill(["skipped", "not started (cancelled by bob while waiting after batch 1 of 3)"]),
    ]);
    expect([ran("node-3"), ran("node-4"), ran("node-5")]).toEqual([false, false, false]);
    const audit = db.prepare("SELECT detail FROM audit_log WHERE action = 'run-cancelled' AND run_id = ?").pluck().get(runId) as string;
    expect(JSON.parse(audit)).toMatchObject({ stopped: [], waiting: { kind: "canary", afterBatch: 1 } });
  });

  it("pauses between batches, says until when, and a cancel ends the pause at once (an hour's pause: the test would hang otherwise)", async () => {
    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: ["n1", "n2", "n3"], mode: "apply", actor: "alice", rolling: { batch: 1, pauseSeconds: 3600 } });
    const { wait } = await nextEvent(runId, "rollout-waiting");
    expect(wait).toMatchObject({ kind: "pause", afterBatch: 1, of: 3, reason: "pausing 3600 s after batch 1 of 3" });
    const left = Date.parse(wait.until!) - Date.now();
    expect(left).toBeGreaterThan(3500_000);
    expect(left).toBeLessThanOrEqual(3600_000);
    engine.cancel(runId, "bob");
    await done;
    const run = getRun(db, runId)!;
    expect(run.nodes.map((n) => [n.status, n.message?.startsWith("not started") ? n.message : null])).toEqual([
      ["changed", null],
      ["skipped", "not started (cancelled by bob while waiting after batch 1 of 3)"],
      ["skipped", "not started (cancelled by bob while waiting after batch 1 of 3)"],
    ]);
  });

  it("a pause that runs out starts the next batch by itself; Continue cuts one short", async () => {
    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: ["n1", "n2", "n3"], mode: "apply", actor: "alice", rolling: { batch: 1, pauseSeconds: 1 } });
    await nextEvent(runId, "rollout-continued", (e) => e.afterBatch === 1);
    await nextEvent(runId, "rollout-waiting", (e) => e.wait.afterBatch === 2);
    expect(engine.continueRun(runId, "carol", 2)).toEqual({ ok: true });
    await done;
    const { status } = getRun(db, runId)!;
    expect(status).toBe("succeeded");
    expect(ofType(listEvents(db, runId), "rollout-continued").map((e) => [e.afterBatch, e.by])).toEqual([
      [1, null],
      [2, "carol"],
    ]);
  });

  it("a dashboard stop while waiting ends the run interrupted, naming the nodes that never started", async () => {
    const { runId, done } = engine.start({ stepIds: ["roll"], nodeIds: ["n1", "n2", "n3"], mode: "apply", actor: "alice", rolling: { batch: 1, canary: true } });
    await nextEvent(runId, "rollout-waiting");
    expect(markInterrupted(db)).toEqual([runId]);
    const run = getRun(db, runId)!;
    expect(run.status).toBe("interrupted");
    expect(run.waiting).toBeNull();
    expect(run.message).toBe("the dashboard stopped while the rollout waited for Continue after batch 1 of 3; not started: node-2, node-3. Start a new run for them");
    expect(run.nodes.map((n) => [n.status, n.message])).toEqual([
      ["changed", expect.any(String)],
      ["skipped", "not started (the dashboard stopped while the rollout waited for Continue after batch 1 of 3)"],
      ["skipped", "not started (the dashboard stopped while the rollout waited for Continue after batch 1 of 3)"],
    ]);
    const audit = db.prepare("SELECT detail FROM audit_log WHERE action = 'run-interrupted' AND run_id = ?").pluck().get(runId) as string;
    expect(JSON.parse(audit)).toMatchObject({ waiting: { kind: "canary", afterBatch: 1 }, nodes: [{ node: "node-2" }, { node: "node-3" }] });
    engine.cancel(runId, "test");
    await done;
  });
});
