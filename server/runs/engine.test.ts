import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { RunEvent } from "@/lib/contracts/runs";
import { trackHost } from "../hosts/tracked-host";
import { quote } from "../ssh/quote";
import { SshError } from "../ssh/types";
import { openDb, type Db } from "../db";
import { debianFacts } from "../catalog/fixtures/facts";
import type { Probe, Step } from "../catalog/types";
import { subscribe } from "./bus";
import { createEngine, type Engine } from "./engine";
import { localHost } from "../ssh/testing/fake-host";
import { appendEvent, getRun, listEvents, markInterrupted, RunConflictError, stepProgress } from "./repository";

// The engine's contract with fake steps, on a fake host that is the local shell: the batched probe
// script, the file write and the streaming all run for real, only without SSH.

let dir: string;
let db: Db;
let engine: Engine;
let host: ReturnType<typeof localHost>;
const SECRET = "hunter2-very-secret";

function fakeCatalog(d: string) {
  const marker = path.join(d, "marker.conf");
  const probes: Probe[] = [
    {
      id: "marker-present",
      title: "marker file",
      fixStepId: "make-marker",
      commands: [{ key: "cat", command: `cat ${quote(marker)}` }],
      data: z.object({}),
      parse: (o) => ({
        status: o.cat?.output === "on\n" ? "ok" : "fail",
        observed: o.cat?.exitCode === 0 ? o.cat.output.trim() : "missing",
        expected: "on",
        detail: "",
        checks: [],
        data: {},
      }),
    },
    {
      id: "always-ok",
      title: "always ok",
      fixStepId: null,
      commands: [{ key: "t", command: "echo fine" }],
      data: z.object({}),
      parse: () => ({ status: "ok", observed: "fine", expected: "fine", detail: "", checks: [], data: {} }),
    },
  ];
  const steps: Step[] = [
    {
      id: "make-marker",
      title: "Make marker",
      summary: "",
      requires: [],
      observe: { probes: [], files: [marker] },
      plan: (_f, o) => {
        const f = o.files[marker];
        const right = f?.kind === "file" && f.content === "on\n" && f.mode === "644";
        return {
          actions: right
            ? []
            : [
                { kind: "write-file", path: marker, mode: 0o644, content: "on\n", reason: "missing" },
                { kind: "run-command", argv: ["sh", "-c", `echo loading; echo password is ${SECRET} >&2`], reason: "load" },
              ],
          notes: [],
        };
      },
      verify: ["marker-present"],
    },
    {
      id: "needs-marker",
      title: "Needs marker",
      summary: "",
      requires: ["marker-present"],
      observe: { probes: [], files: [] },
      plan: () => ({ actions: [], notes: [] }),
      verify: ["always-ok"],
    },
    {
      id: "broken",
      title: "Broken",
      summary: "",
      requires: [],
      observe: { probes: [], files: [] },
      plan: () => ({ actions: [{ kind: "run-command", argv: ["sh", "-c", "echo starting; echo it broke >&2; exit 3"], reason: "x" }], notes: [] }),
      verify: ["always-ok"],
    },
    {
      id: "slow",
      title: "Slow",
      summary: "",
      requires: [],
      observe: { probes: [], files: [] },
      plan: () => ({ actions: [{ kind: "run-command", argv: ["sh", "-c", "echo begun; sleep 30; echo never"], reason: "x" }], notes: [] }),
      verify: ["always-ok"],
    },
  ];
  return {
    marker,
    catalog: {
      steps,
      getProbe: (id: string) => {
        const p = probes.find((x) => x.id === id);
        if (!p) throw new Error(`unknown probe ${id}`);
        return p;
      },
    },
  };
}

let marker: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-engine-"));
  db = openDb(":memory:");
  db.prepare(
    "INSERT INTO nodes (id, name, address, port, username, auth_method, privilege, created_at, updated_at) VALUES ('n1', 'node-one', '127.0.0.1', 22, 't', 'key', 'root', 'x', 'x')",
  ).run();
  host = localHost("node-one");
  const fake = fakeCatalog(dir);
  marker = fake.marker;
  engine = createEngine({
    db,
    catalog: fake.catalog,
    describeNode: (id) => (id === "n1" ? { id, name: "node-one" } : null),
    openHost: (nodeId, work) => trackHost(host, { ...work, db, node: { id: nodeId, name: "node-one" }, secrets: [SECRET] }),
    gatherFacts: async () => debianFacts,
  });
});

afterEach(async () => {
  await engine.idle();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const events = (runId: string) => listEvents(db, runId);
const ofType = <T extends RunEvent["type"]>(list: RunEvent[], type: T) => list.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
const phases = (list: RunEvent[], stepId: string) => ofType(list, "phase").filter((e) => e.stepId === stepId).map((e) => e.phase);

async function run(stepIds: string[], mode: "check" | "apply" = "apply") {
  const { runId, done } = engine.start({ stepIds, nodeIds: ["n1"], mode, actor: "alice" });
  await done;
  return { runId, run: getRun(db, runId)!, events: events(runId) };
}

describe("the run engine", () => {
  it("applies the plan, streams each command's output, verifies, and numbers every event", async () => {
    const { run: r, events: ev } = await run(["make-marker"]);
    expect(r.status).toBe("succeeded");
    expect(r.nodes[0]).toMatchObject({ status: "changed", message: "changed and verified" });
    expect(fs.readFileSync(marker, "utf8")).toBe("on\n");
    expect((fs.statSync(marker).mode & 0o777).toString(8)).toBe("644");
    expect(phases(ev, "make-marker")).toEqual(["requires", "plan", "apply", "verify"]);
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, i) => i + 1));
    expect(ofType(ev, "command-started").map((e) => e.command)).toEqual([
      expect.stringMatching(/^mkdir -p \S+ &&\ntee \S+\/\.marker\.conf\.nodeprep > \/dev\/null <<'EOF' &&\non\nEOF\nchmod 644 \S+ &&\nmv -f /),
      expect.stringContaining("echo loading"),
    ]);
    expect(ofType(ev, "output").map((e) => [e.stream, e.line])).toContainEqual(["stdout", "loading"]);
    expect(ofType(ev, "probe").map((e) => [e.phase, e.result.probeId, e.result.status])).toEqual([["verify", "marker-present", "ok"]]);
    expect(ev.at(-1)).toMatchObject({ type: "run-end", status: "succeeded" });
  });

  it("audits every command through the tracked path: who, node, run, step, the command as run, exit; probe scripts by hash", async () => {
    const { run: r } = await run(["make-marker"]);
    const rows = db
      .prepare("SELECT actor, action, node_id, run_id, step_id, command, script_hash, exit_code, duration_ms, detail FROM audit_log WHERE run_id = ? ORDER BY seq")
      .all(r.id) as { actor: string; action: string; node_id: string; run_id: string; step_id: string; command: string; script_hash: string | null; exit_code: number; duration_ms: number; detail: string }[];
    expect(rows.map((a) => [a.action, a.step_id, a.command.split(" ")[0], a.exit_code])).toEqual([
      ["command", "make-marker", "probes", 0], // requires + what the plan reads
      ["command", "make-marker", "mkdir", 0], // the file write
      ["command", "make-marker", "sh", 0], // the command
      ["command", "make-marker", "probes", 0], // verify
    ]);
    expect(rows.every((a) => a.actor === "alice" && a.node_id === "n1" && a.duration_ms >= 0)).toBe(true);
    const started = ofType(events(r.id), "command-started").map((e) => e.command);
    expect(rows.filter((a) => !a.script_hash).map((a) => a.command)).toEqual(started); // the log and the audit agree
    for (const a of rows.filter((x) => x.script_hash)) {
      const text = db.prepare("SELECT text FROM audit_scripts WHERE hash = ?").pluck().get(a.script_hash) as string;
      expect(text).toContain("marker.conf");
      expect(JSON.parse(a.detail)).toMatchObject({ asRoot: true, probes: expect.any(Array) });
    }
    // A second run reuses the stored scripts: nothing new in audit_scripts.
    const scripts = db.prepare("SELECT count(*) FROM audit_scripts").pluck().get();
    await run(["make-marker"]);
    expect(db.prepare("SELECT count(*) FROM audit_scripts").pluck().get()).toBe(scripts);
  });

  it("redacts the target's secrets from output, commands and the audit log before storing them", async () => {
    const { runId } = await run(["make-marker"]);
    const stored = JSON.stringify(db.prepare("SELECT data FROM run_events WHERE run_id = ?").all(runId));
    expect(stored).not.toContain(SECRET);
    expect(stored).toContain("password is [redacted]");
    expect(JSON.stringify(db.prepare("SELECT command FROM audit_log").all())).not.toContain(SECRET);
  });

  it("plans nothing and applies nothing on a host already done; the file is left untouched", async () => {
    await run(["make-marker"]);
    const old = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    fs.utimesSync(marker, old, old);
    const { run: r, events: ev } = await run(["make-marker"]);
    expect(r.nodes[0]).toMatchObject({ status: "unchanged", message: "already done, nothing changed" });
    expect(r.message).toBe("already done, nothing changed");
    expect(ofType(ev, "plan")[0].actions).toEqual([]);
    expect(phases(ev, "make-marker")).toEqual(["requires", "plan", "verify"]);
    expect(ofType(ev, "command-started")).toEqual([]);
    expect(Math.round(fs.statSync(marker).mtimeMs)).toBe(old.getTime());
  });

  it("check mode shows the plan with a diff and changes nothing", async () => {
    const { run: r, events: ev } = await run(["make-marker"], "check");
    expect(r.status).toBe("succeeded");
    expect(r.nodes[0].status).toBe("pending-changes");
    expect(fs.existsSync(marker)).toBe(false);
    const plan = ofType(ev, "plan")[0];
    expect(plan.actions[0]).toMatchObject({ kind: "write-file", previous: { exists: false } });
    expect(plan.actions[0].kind === "write-file" && plan.actions[0].diff).toContain("+on");
    expect(phases(ev, "make-marker")).not.toContain("apply");
  });

  it("does not verify after a failed apply, and says which command failed with its stderr", async () => {
    const { run: r, events: ev } = await run(["broken"]);
    expect(r.status).toBe("failed");
    expect(r.nodes[0].status).toBe("failed");
    expect(r.nodes[0].message).toMatch(/Broken: `sh -c .*` exited with 3 on node-one: it broke/);
    expect(phases(ev, "broken")).toEqual(["requires", "plan", "apply"]);
    expect(ofType(ev, "probe").filter((e) => e.phase === "verify")).toEqual([]);
    expect(ofType(ev, "command-finished")[0].exitCode).toBe(3);
  });

  it("blocks a step whose requirement fails, naming the step that fixes it, and stops there", async () => {
    const { run: r, events: ev } = await run(["needs-marker", "broken"]);
    expect(r.nodes[0].status).toBe("blocked");
    const end = ofType(ev, "step-end")[0];
    expect(end).toMatchObject({ stepId: "needs-marker", status: "blocked", fixStepId: "make-marker" });
    expect(end.message).toContain('Run the step "Make marker" first');
    expect(phases(ev, "needs-marker")).toEqual(["requires"]);
    expect(ofType(ev, "step-end").map((e) => e.stepId)).toEqual(["needs-marker"]);
    const progress = stepProgress(db, ["n1"], ["make-marker", "needs-marker"]);
    expect(progress.map((p) => [p.stepId, p.state])).toEqual([
      ["make-marker", "not-started"],
      ["needs-marker", "blocked"],
    ]);
  });

  it("runs steps in catalog order whatever order they were asked in", async () => {
    const { events: ev } = await run(["needs-marker", "make-marker"]);
    expect(ofType(ev, "step-end").map((e) => [e.stepId, e.status])).toEqual([
      ["make-marker", "changed"],
      ["needs-marker", "unchanged"],
    ]);
  });

  it("cancels: the remote command is stopped and the run ends cancelled", async () => {
    const { runId, done } = engine.start({ stepIds: ["slow"], nodeIds: ["n1"], mode: "apply", actor: "alice" });
    await new Promise<void>((resolve) => {
      const off = subscribe(runId, (e) => {
        if (e.type === "output" && e.line === "begun") {
          off();
          resolve();
        }
      });
    });
    const t0 = Date.now();
    expect(engine.cancel(runId, "bob")).toBe(true);
    await done;
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(host.running).toBe(0);
    const r = getRun(db, runId)!;
    expect(r.status).toBe("cancelled");
    expect(r.message).toBe("cancelled by bob");
    expect(r.nodes[0].status).toBe("cancelled");
    expect(listEvents(db, runId).some((e) => e.type === "output" && e.line === "never")).toBe(false);
    // The audit log: who cancelled and what was stopped, and the stopped command's own row.
    const cancel = db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'run-cancelled' AND run_id = ?").get(runId) as { actor: string; detail: string };
    expect(cancel.actor).toBe("bob");
    expect(JSON.parse(cancel.detail).stopped).toEqual([{ nodeId: "n1", node: "node-one", command: expect.stringContaining("echo begun; sleep 30"), since: expect.any(String) }]);
    const stopped = db.prepare("SELECT exit_code, detail FROM audit_log WHERE action = 'command' AND run_id = ? AND command LIKE '%sleep 30%'").get(runId) as { exit_code: number | null; detail: string };
    expect(stopped.exit_code).toBeNull();
    expect(JSON.parse(stopped.detail).error.kind).toBe("aborted");
  });

  it("refuses a second mutating run on the same node (409), but allows a check", async () => {
    const first = engine.start({ stepIds: ["slow"], nodeIds: ["n1"], mode: "apply", actor: "alice" });
    expect(() => engine.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: "bob" })).toThrow(RunConflictError);
    expect(() => engine.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: "bob" })).toThrow(
      /node-one is already being changed by run/,
    );
    const check = engine.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "check", actor: "bob" });
    await check.done;
    engine.cancel(first.runId, "alice");
    await first.done;
    const again = engine.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: "bob" });
    await again.done;
    expect(getRun(db, again.runId)!.status).toBe("succeeded");
  });

  it("replays events to a late subscriber from storage and hands live ones to the bus", async () => {
    const { runId, done } = engine.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: null });
    const live: number[] = [];
    const off = subscribe(runId, (e) => live.push(e.seq));
    await done;
    off();
    const stored = events(runId).map((e) => e.seq);
    expect(live.length).toBeGreaterThan(0);
    expect(stored.slice(-live.length)).toEqual(live);
  });

  it("marks in-flight runs interrupted at start-up and frees their nodes", () => {
    db.prepare("INSERT INTO runs (id, mode, step_ids, status, actor, created_at) VALUES ('r0', 'apply', '[]', 'running', null, 'x')").run();
    db.prepare("INSERT INTO run_nodes (run_id, node_id, node_name, position, status) VALUES ('r0', 'n1', 'node-one', 0, 'running')").run();
    appendEvent(db, "r0", { type: "phase", nodeId: "n1", stepId: "make-marker", phase: "apply" });
    expect(markInterrupted(db)).toEqual(["r0"]);
    const r = getRun(db, "r0")!;
    expect(r.status).toBe("interrupted");
    expect(r.nodes[0]).toMatchObject({ status: "interrupted", message: "the dashboard stopped on step make-marker (applying the plan); nothing more was run. Check the host, then run the step again" });
    expect(listEvents(db, "r0").map((e) => [e.type, e.stepId])).toEqual([["phase", "make-marker"], ["node-end", "make-marker"], ["run-end", null]]);
    expect(db.prepare("SELECT status FROM run_steps WHERE run_id = 'r0' AND step_id = 'make-marker'").pluck().get()).toBe("interrupted");
    const audited = db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'run-interrupted' AND run_id = 'r0'").get() as { actor: string; detail: string };
    expect(audited.actor).toBe("system");
    expect(JSON.parse(audited.detail).nodes).toEqual([{ nodeId: "n1", node: "node-one", stepId: "make-marker", phase: "apply" }]);
    expect(() => engine.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: null })).not.toThrow();
  });

  it("gathers the facts again at the end of a run that changed something, so the node page shows what it installed", async () => {
    const gathered: string[] = [];
    const counting = createEngine({
      db,
      catalog: fakeCatalog(dir).catalog,
      describeNode: (id) => ({ id, name: "node-one" }),
      openHost: (nodeId, work) => trackHost(host, { ...work, db, node: { id: nodeId, name: "node-one" }, secrets: [] }),
      gatherFacts: async (_h, { nodeId }) => {
        gathered.push(nodeId);
        if (gathered.length === 2) throw new Error("the second look failed");
        return debianFacts;
      },
    });
    const first = counting.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: null });
    await first.done;
    // Before the steps and after the change; a failing second look leaves the verdict alone.
    expect(gathered).toEqual(["n1", "n1"]);
    expect(getRun(db, first.runId)!.nodes[0]).toMatchObject({ status: "changed", message: "changed and verified" });
    const again = counting.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: null });
    await again.done;
    expect(gathered).toHaveLength(3); // nothing changed: no second look
  });

  it("fails a node whose connection cannot be made with the SSH layer's message", async () => {
    const failing = createEngine({
      db,
      catalog: fakeCatalog(dir).catalog,
      describeNode: (id) => ({ id, name: "node-one" }),
      openHost: (nodeId, work) =>
        trackHost(
          {
            ...host,
            connect: async () => {
              throw new SshError("connection-lost", "the connection dropped", { host: "10.0.0.5", port: 22, username: "ops" });
            },
          },
          { ...work, db, node: { id: nodeId, name: "node-one" }, secrets: [] },
        ),
      gatherFacts: async () => debianFacts,
    });
    const { runId, done } = failing.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: null });
    await done;
    expect(getRun(db, runId)!.nodes[0].message).toMatch(/^lost the SSH connection to node-one \(10\.0\.0\.5:22\) while connecting/);
    // The step this run was for ends failed too: its place in the step list says the last attempt failed.
    expect(stepProgress(db, ["n1"], ["make-marker"])[0]).toMatchObject({ state: "failed", runId });
  });

  it("a host whose key changed is a refused connection in the audit log (not a command), and nothing runs", async () => {
    const refusing = createEngine({
      db,
      catalog: fakeCatalog(dir).catalog,
      describeNode: (id) => ({ id, name: "node-one" }),
      openHost: (nodeId, work) =>
        trackHost(
          {
            ...host,
            connect: async () => {
              throw new SshError("host-key-changed", "HOST KEY CHANGED for 10.0.0.5:22 (user ops): expected A, but the host offers B", { host: "10.0.0.5", port: 22, username: "ops", stage: "connect" });
            },
          },
          { ...work, db, node: { id: nodeId, name: "node-one" }, secrets: [] },
        ),
      gatherFacts: async () => debianFacts,
    });
    const { runId, done } = refusing.start({ stepIds: ["make-marker"], nodeIds: ["n1"], mode: "apply", actor: "alice" });
    await done;
    expect(getRun(db, runId)!.nodes[0].message).toMatch(/^the host key of node-one \(10\.0\.0\.5:22\) changed: this could be a man-in-the-middle/);
    const rows = db.prepare("SELECT actor, action, command, exit_code, detail FROM audit_log WHERE run_id = ?").all(runId) as { actor: string; action: string; command: string | null; detail: string }[];
    expect(rows.map((r) => [r.actor, r.action, r.command, JSON.parse(r.detail).reason])).toEqual([["alice", "connection-failed", null, "host-key-changed"]]);
    expect(host.running).toBe(0);
  });

  it("a failed staging action leaves a row for each command it ran, not one line for the action (or none)", async () => {
    const steps = [
      ...fakeCatalog(dir).catalog.steps,
      {
        id: "stage-it",
        title: "Stage it",
        summary: "",
        requires: [],
        observe: { probes: [], files: [] },
        plan: () => ({
          actions: [{ kind: "upload-artifact" as const, artifactId: "runc@1.1.5~local:amd64", sha256: null, dest: { kind: "file" as const, path: "/usr/local/sbin/runc", mode: "755" }, reason: "x" }],
          notes: [],
        }),
        verify: ["always-ok"],
      },
    ];
    const staging = createEngine({
      db,
      catalog: { steps, getProbe: fakeCatalog(dir).catalog.getProbe },
      describeNode: (id) => ({ id, name: "node-one" }),
      openHost: (nodeId, work) => trackHost(host, { ...work, db, node: { id: nodeId, name: "node-one" }, secrets: [] }),
      gatherFacts: async () => debianFacts,
      applyArtifact: async (h) => {
        await h.exec("echo /tmp/nodeprep-artifact.x");
        const r = await h.exec("echo 'curl: (7) Failed to connect' >&2; exit 7");
        throw new Error(`node-one could not download the file (exit ${r.code})`);
      },
    });
    const { runId, done } = staging.start({ stepIds: ["stage-it"], nodeIds: ["n1"], mode: "apply", actor: "alice" });
    await done;
    expect(getRun(db, runId)!.nodes[0].message).toBe("Stage it: node-one could not download the file (exit 7)");
    const rows = db.prepare("SELECT command, exit_code, step_id FROM audit_log WHERE run_id = ? AND action = 'command' AND command NOT LIKE 'probes%' ORDER BY seq").all(runId);
    expect(rows).toEqual([
      { command: "echo /tmp/nodeprep-artifact.x", exit_code: 0, step_id: "stage-it" },
      { command: "echo 'curl: (7) Failed to connect' >&2; exit 7", exit_code: 7, step_id: "stage-it" },
    ]);
    // The run's log shows the planned action as one command with the reason, not its parts.
    const started = ofType(events(runId), "command-started").map((e) => e.command);
    expect(started).toEqual([expect.stringMatching(/^# runc@1\.1\.5~local:amd64: /)]);
  });

  it("a host lost in the middle of a step ends that step failed, so the step list does not keep an older done", async () => {
    await run(["make-marker"]);
    expect(stepProgress(db, ["n1"], ["make-marker"])[0].state).toBe("done");
    fs.rmSync(marker);
    const dropping = createEngine({
      db,
      catalog: fakeCatalog(dir).catalog,
      describeNode: (id) => ({ id, name: "node-one" }),
      // Reads work; the write (mkdir -p && tee ...) finds the connection gone.
      openHost: (nodeId, work) =>
        trackHost(
          {
            ...host,
            exec: (command: string, options?: Parameters<typeof host.exec>[1]) =>
              command.startsWith("mkdir -p ") ? Promise.reject(new SshError("connection-lost", "the connection dropped", { host: "10.0.0.5", port: 22, username: "ops" })) : host.exec(command, options),
          },
          { ...work, db, node: { id: nodeId, name: "node-one" }, secrets: [] },
        ),
      gatherFacts: async () => debianFacts,
    });
    const { runId, done } = dropping.start({ stepIds: ["make-marker", "needs-marker"], nodeIds: ["n1"], mode: "apply", actor: null });
    await done;
    expect(getRun(db, runId)!.nodes[0].status).toBe("failed");
    const progress = stepProgress(db, ["n1"], ["make-marker", "needs-marker"]);
    expect(progress.map((p) => [p.stepId, p.state, p.runId === runId])).toEqual([
      ["make-marker", "failed", true],
      // Never reached in this run: it keeps what it had (nothing here).
      ["needs-marker", "not-started", false],
    ]);
  });
});
