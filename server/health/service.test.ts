// The scanner and the health service with fake hosts on an in-memory database: bounded concurrency,
// a silent node isolated by its deadline, SSH errors as "unreachable" with their message, drift across
// checks (with the reboot context) and its resolution, one scan at a time. And the real batch: the
// probes plus the boot files in one script, run by the local shell (localHost of server/ssh/testing/fake-host.ts).
import { describe, expect, it } from "vitest";
import type { ProbeResult, ProbeStatus } from "@/lib/contracts/catalog";
import { applyUpdate } from "@/lib/contracts/health";
import { observation, observeHost } from "../catalog";
import { trackHost } from "../hosts/tracked-host";
import { openDb } from "../db";
import { fakeHost, fakeTarget, localHost } from "../ssh/testing/fake-host";
import { SshError, type RemoteHost } from "../ssh/types";
import type { ObservationResult } from "../catalog";
import { BOOT_FILES, BOOT_ID_FILE, bootInfo, scanNodes, UPTIME_FILE } from "./scanner";
import { getCheck, listDrift, recordCheck } from "./checks";
import { previousOutputs } from "./reuse";
import { createHealthService, type HealthDeps } from "./service";

const PROBES = [
  { id: "module-br-netfilter", title: "br_netfilter module", fixStepId: "kernel-modules" },
  { id: "sysctl-values", title: "kernel parameters (live)", fixStepId: "sysctl" },
  { id: "swap-off", title: "swap off", fixStepId: null },
];

const result = (probeId: string, status: ProbeStatus): ProbeResult => ({
  probeId,
  title: PROBES.find((p) => p.id === probeId)!.title,
  status,
  observed: status === "ok" ? "loaded" : "not loaded",
  expected: "loaded",
  detail: "",
  checks: [],
  data: null,
  fixStepId: PROBES.find((p) => p.id === probeId)!.fixStepId,
  raw: [{ command: `check ${probeId}`, output: `${probeId} says ${status}\n`, exitCode: status === "ok" ? 0 : 1 }],
});

const bootFiles = (bootId: string, uptime = "100.00 50.00") => ({
  [BOOT_ID_FILE]: { kind: "file" as const, mode: "444", content: `${bootId}\n` },
  [UPTIME_FILE]: { kind: "file" as const, mode: "444", content: `${uptime}\n` },
});

/** A host the scanner connects to; `observe` below stands in for its commands. */
const nodeHost = (nodeId: string) => fakeHost({ target: fakeTarget(nodeId, { address: "10.0.0.1" }) });

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

interface World {
  statuses: Map<string, Record<string, ProbeStatus>>;
  boot: Map<string, string>;
  behaviour: Map<string, "ok" | "hang" | "refused">;
  active: number;
  maxActive: number;
  /** What each observe was asked: the node, and whether to run every command again. */
  asked: { nodeId: string; rerunAll: boolean }[];
}

function setup(nodeCount: number, opts: { concurrency?: number; perNodeTimeoutMs?: number; keepChecksPerNode?: number } = {}) {
  const db = openDb(":memory:");
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({ id: uuid(i + 1), name: `node-${i + 1}`, address: "10.0.0.1", port: 22, practice: false }));
  const world: World = { statuses: new Map(), boot: new Map(), behaviour: new Map(), active: 0, maxActive: 0, asked: [] };
  for (const n of nodes) {
    world.statuses.set(n.id, Object.fromEntries(PROBES.map((p) => [p.id, "ok" as ProbeStatus])));
    world.boot.set(n.id, "11111111-1111-4111-8111-111111111111");
  }
  const deps: HealthDeps = {
    db,
    listNodes: () => nodes,
    probes: () => PROBES,
    facts: () => null,
    concurrency: opts.concurrency,
    perNodeTimeoutMs: opts.perNodeTimeoutMs ?? 2_000,
    keepChecksPerNode: opts.keepChecksPerNode,
    connect: async (nodeId, signal) => {
      const b = world.behaviour.get(nodeId) ?? "ok";
      if (b === "refused") {
        throw new SshError("refused", `10.0.0.1:22 refused the connection for user ops: is sshd running and listening on port 22?`, { host: "10.0.0.1", port: 22, username: "ops" });
      }
      if (b === "hang") {
        // A frozen host that even ignores the abort signal: only the scanner's deadline ends it.
        void signal;
        return new Promise<RemoteHost>(() => undefined);
      }
      return nodeHost(nodeId);
    },
    observe: async (host, { nodeId, rerunAll }): Promise<ObservationResult> => {
      world.asked.push({ nodeId, rerunAll });
      world.active++;
      world.maxActive = Math.max(world.maxActive, world.active);
      await new Promise((r) => setTimeout(r, 15));
      world.active--;
      const s = world.statuses.get(host.target.nodeId)!;
      return { probes: PROBES.map((p) => result(p.id, s[p.id])), files: bootFiles(world.boot.get(host.target.nodeId)!) };
    },
  };
  const service = createHealthService(deps);
  const scan = async (nodeIds?: string[]) => {
    const s = service.startScan({ nodeIds, trigger: "manual", actor: "test" });
    await s.done;
    return s.scanId;
  };
  return { db, nodes, world, service, scan };
}

describe("scanNodes", () => {
  it("never runs more nodes at once than the concurrency, and scans them all", async () => {
    const { world, service, nodes, scan } = setup(10, { concurrency: 3 });
    await scan();
    expect(world.maxActive).toBe(3);
    const m = service.matrix();
    expect(m.nodes.map((n) => n.lastCheck?.reach)).toEqual(nodes.map(() => "reachable"));
    expect(m.summary).toEqual({ ready: 10, total: 10, unreachable: 0, neverChecked: 0 });
  });

  it("a silent node ends unreachable at its deadline while the others finish long before", async () => {
    const { world, service, nodes } = setup(3, { concurrency: 3, perNodeTimeoutMs: 1500 });
    world.behaviour.set(nodes[1].id, "hang");
    const s = service.startScan({ trigger: "manual", actor: null });
    // The quick nodes are stored (and visible) while the silent one is still pending.
    await expect.poll(() => service.matrix().nodes.filter((n) => n.lastCheck?.reach === "reachable").length, { interval: 10 }).toBe(2);
    expect(service.matrix().scan?.nodes.find((n) => n.nodeId === nodes[1].id)?.state).toBe("connecting");
    expect(service.matrix().scan?.status).toBe("running");
    await s.done;
    const m = service.matrix();
    const silent = m.nodes[1];
    expect(silent.lastCheck).toMatchObject({ reach: "unreachable", errorKind: "timeout", message: "node-2 did not answer within 1.5 s (the other nodes were not held up)" });
    expect(silent.cells.map((c) => c.state)).toEqual(["unreachable", "unreachable", "unreachable"]);
    expect(m.scan?.status).toBe("done");
    expect(m.scan?.nodes.map((n) => n.state)).toEqual(["done", "unreachable", "done"]);
    expect(m.summary).toMatchObject({ ready: 2, unreachable: 1 });
  });

  it("an SSH error is an unreachable cell carrying the error's message; the last known verdicts stay visible", async () => {
    const { world, service, nodes, scan } = setup(2);
    await scan();
    world.behaviour.set(nodes[0].id, "refused");
    await scan();
    const row = service.matrix().nodes[0];
    expect(row.lastCheck).toMatchObject({ reach: "unreachable", errorKind: "refused" });
    expect(row.cells[0]).toMatchObject({ state: "unreachable", lastKnown: "ok" });
    expect(row.cells[0].observed).toContain("refused the connection");
    expect(row.cells[0].checkId).not.toBeNull(); // the last raw output is still reachable
    expect(row.ready).toBe(false);
  });

  it("a scan never throws even when a node's deps throw synchronously-ish errors", async () => {
    const calls: string[] = [];
    await scanNodes(
      [{ id: "a", name: "a" }],
      { connect: async () => { throw new Error("node a has no private key stored"); }, observe: async () => ({ probes: [], files: {} }) },
      { work: { actor: "test", scanId: "s" }, concurrency: 2, perNodeTimeoutMs: 1000, onProgress: (_, s) => calls.push(s), record: (_n, _at, o) => (calls.push(o.reach === "unreachable" ? o.message : "?"), 1) },
    );
    expect(calls).toEqual(["connecting", "a: node a has no private key stored", "unreachable"]);
  });
});

describe("drift through the service", () => {
  it("ok -> fail is one drift event with the reboot in between, ok again resolves it", async () => {
    const { db, world, service, nodes, scan } = setup(2);
    await scan();
    world.statuses.get(nodes[0].id)!["module-br-netfilter"] = "fail";
    world.boot.set(nodes[0].id, "22222222-2222-4222-8222-222222222222");
    await scan();
    let drift = listDrift(db);
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ nodeName: "node-1", probeId: "module-br-netfilter", toStatus: "fail", rebooted: true, resolvedAt: null, fixStepId: "kernel-modules" });
    expect(drift[0]).toMatchObject({ observed: "not loaded", resolvedObserved: null });
    expect(drift[0].bootedAt).not.toBeNull();
    expect(service.matrix().nodes[0]).toMatchObject({ ready: false, openDrift: 1 });
    // The failing cell links to the check with its raw output.
    const cell = service.matrix().nodes[0].cells[0];
    expect(cell.state).toBe("fail");
    expect(getCheck(db, cell.checkId!)!.results[0].raw[0].output).toBe("module-br-netfilter says fail\n");

    await scan(); // still failing: no second event
    expect(listDrift(db)).toHaveLength(1);

    world.statuses.get(nodes[0].id)!["module-br-netfilter"] = "ok";
    await scan();
    drift = listDrift(db);
    expect(drift[0].resolvedAt).not.toBeNull();
    // Resolved: what it was when it drifted, and what the resolving check saw.
    expect(drift[0]).toMatchObject({ observed: "not loaded", resolvedObserved: "loaded" });
    expect(listDrift(db, { open: true })).toEqual([]);
    expect(service.matrix().nodes[0]).toMatchObject({ ready: true, openDrift: 0 });
    expect(service.nodeHealth(nodes[0].id)!.history.map((h) => h.counts.fail)).toEqual([0, 1, 1, 0]);
  });

  it("keeps the newest checks per node, and every check a drift event or the last known state points at", async () => {
    const { db, world, nodes, scan } = setup(1, { keepChecksPerNode: 2 });
    const checkIds = () => db.prepare("SELECT id FROM health_checks ORDER BY id").pluck().all() as number[];
    await scan(); // 1: ok
    await scan(); // 2: ok
    world.statuses.get(nodes[0].id)!["swap-off"] = "fail";
    await scan(); // 3: drift (last ok = 2)
    await scan(); // 4
    await scan(); // 5
    await scan(); // 6
    // 5, 6 are the newest; 3 is the drift's check and 2 its last ok; 1 and 4 are gone with their results.
    expect(checkIds()).toEqual([2, 3, 5, 6]);
    expect(db.prepare("SELECT COUNT(*) FROM health_results WHERE check_id IN (1, 4)").pluck().get()).toBe(0);
    expect(listDrift(db)[0]).toMatchObject({ checkId: 3, probeId: "swap-off" });
    expect(getCheck(db, 2)!.results.find((r) => r.probeId === "swap-off")!.status).toBe("ok");
  });

  it("one scan at a time: a second request while one runs gets the running scan", async () => {
    const { service } = setup(2);
    const a = service.startScan({ trigger: "auto", actor: null });
    const b = service.startScan({ trigger: "manual", actor: null });
    expect(b).toMatchObject({ scanId: a.scanId, alreadyRunning: true });
    await a.done;
    expect(service.startScan({ trigger: "manual", actor: null }).alreadyRunning).toBe(false);
  });

  it("observe is told which node it scans and whether to run every command again", async () => {
    const { service, world, nodes } = setup(1);
    await service.startScan({ trigger: "manual", actor: null }).done;
    await service.startScan({ trigger: "manual", actor: null, rerunAll: true }).done;
    expect(world.asked).toEqual([
      { nodeId: nodes[0].id, rerunAll: false },
      { nodeId: nodes[0].id, rerunAll: true },
    ]);
  });

  it("a scan of some nodes leaves the others alone; an unknown node id is refused", async () => {
    const { service, nodes, scan } = setup(3);
    await scan([nodes[2].id]);
    expect(service.matrix().nodes.map((n) => !!n.lastCheck)).toEqual([false, false, true]);
    expect(service.matrix().summary.neverChecked).toBe(2);
    expect(() => service.startScan({ nodeIds: [uuid(99)], trigger: "manual", actor: null })).toThrow(/unknown node/);
  });

  it("a scan left running by a previous process is marked interrupted at start", async () => {
    const { db } = setup(1);
    db.prepare("INSERT INTO health_scans (id, trigger, actor, status, started_at) VALUES ('old', 'manual', NULL, 'running', '2020-01-01T00:00:00Z')").run();
    createHealthService({ db, listNodes: () => [], probes: () => PROBES, facts: () => null, connect: async () => nodeHost("x"), observe: async () => ({ probes: [], files: {} }) });
    expect(db.prepare("SELECT status FROM health_scans WHERE id = 'old'").pluck().get()).toBe("interrupted");
  });
});

describe("polling a fleet's matrix while a scan runs", () => {
  it("an update carries only the rows checked since the version; merged, it equals the whole matrix", async () => {
    const { world, service, nodes, scan } = setup(6, { concurrency: 2 });
    await scan();
    const before = service.matrix();
    expect(service.matrixSince(before.version)).toMatchObject({ version: before.version, nodes: [] });
    world.statuses.get(nodes[2].id)!["swap-off"] = "fail";
    await scan([nodes[2].id, nodes[4].id]);
    const update = service.matrixSince(before.version);
    expect(update.nodes.map((n) => n.nodeId)).toEqual([nodes[2].id, nodes[4].id]);
    expect(update.order).toEqual(nodes.map((n) => n.id));
    const merged = applyUpdate(before, update)!;
    const whole = service.matrix();
    expect({ ...merged, scan: null }).toEqual({ ...whole, scan: null });
    expect(merged.summary).toMatchObject({ ready: 5, total: 6 });
    // Rows that did not change keep their identity (React re-renders only the changed rows).
    expect(merged.nodes[0]).toBe(before.nodes[0]);
    // Another set of nodes: the caller must fetch the whole matrix.
    expect(applyUpdate(before, { ...update, order: update.order.slice(1) })).toBeNull();
  });
});

describe("the real batch, run by the local shell", () => {
  it("probes and the boot files come back from one script, and the boot time is derived from uptime", async () => {
    const host = localHost();
    const obs = observation(["swap-off", "cgroup-version"], [...BOOT_FILES]);
    const r = await host.exec(obs.script);
    const { probes, files } = obs.finish(r.stdout);
    expect(probes.map((p) => p.probeId)).toEqual(["swap-off", "cgroup-version"]);
    expect(probes.every((p) => p.status !== "unknown")).toBe(true);
    const at = Date.now();
    const boot = bootInfo(files, at);
    expect(boot.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(boot.bootedAt!)).toBeLessThan(at);
  });

  it("a stored check's outputs are reused by the next scan while their inputs read the same, dated by that check", async () => {
    const db = openDb(":memory:");
    const host = localHost();
    const node = { id: uuid(1), name: "local" };
    const scanOnce = async () => {
      const obs = observation(["swap-off", "cgroup-version"], [...BOOT_FILES], { previous: previousOutputs(db, node.id) });
      const { probes, files } = obs.finish((await host.exec(obs.script)).stdout);
      const at = new Date().toISOString();
      const id = recordCheck(db, { scanId: null, nodeId: node.id, nodeName: node.name, at, outcome: { reach: "reachable", results: probes, ...bootInfo(files, Date.now()), durationMs: 1 } });
      return { id, at, raw: probes.flatMap((p) => p.raw) };
    };
    const first = await scanOnce();
    expect(first.raw.every((r) => r.inputs !== undefined && r.ranAt === undefined)).toBe(true);
    expect([...previousOutputs(db, node.id).values()].every((r) => r.ranAt === first.at)).toBe(true);
    const second = await scanOnce();
    // /proc/swaps may change between two reads (its Used column); /etc/fstab and the mounts do not.
    const stat = second.raw.find((r) => r.command === "stat -fc %T /sys/fs/cgroup")!;
    expect(stat).toMatchObject({ ranAt: first.at, output: first.raw.find((r) => r.command === stat.command)!.output });
    const third = await scanOnce();
    expect(third.raw.find((r) => r.command === stat.command)!.ranAt).toBe(first.at);
  });

  it("through the tracked path a scan is one audit row per node: who, the scan, the probes, the exit; the script stored once", async () => {
    const db = openDb(":memory:");
    const nodes = [uuid(1), uuid(2)].map((id, i) => ({ id, name: `local-${i + 1}`, address: "127.0.0.1", port: 22, practice: false }));
    const probeIds = ["swap-off", "cgroup-version"];
    const service = createHealthService({
      db,
      listNodes: () => nodes,
      probes: () => [
        { id: "swap-off", title: "swap off", fixStepId: null },
        { id: "cgroup-version", title: "cgroup v2", fixStepId: null },
      ],
      facts: () => null,
      connect: async (nodeId, _signal, work) => trackHost(localHost(nodeId), { ...work, db, node: nodes.find((n) => n.id === nodeId)!, secrets: [] }),
      observe: async (host, { signal, timeoutMs }) => observeHost(host, probeIds, { files: BOOT_FILES, signal, timeoutMs }),
    });
    const scans = [service.startScan({ trigger: "manual", actor: "carol" }), service.startScan({ trigger: "manual", actor: "carol" })];
    await scans[0].done;
    const second = service.startScan({ trigger: "manual", actor: "dave" });
    await second.done;
    const rows = db.prepare("SELECT actor, action, node_id, scan_id, command, script_hash, exit_code, detail FROM audit_log WHERE action = 'command' ORDER BY seq").all() as {
      actor: string; action: string; node_id: string; scan_id: string; command: string; script_hash: string; exit_code: number; detail: string;
    }[];
    // Nodes are scanned in parallel: rows of one scan come in any order.
    expect(rows.map((r) => [r.actor, r.scan_id, r.node_id].join(" ")).sort()).toEqual(
      [
        ["carol", scans[0].scanId, nodes[0].id],
        ["carol", scans[0].scanId, nodes[1].id],
        ["dave", second.scanId, nodes[0].id],
        ["dave", second.scanId, nodes[1].id],
      ]
        .map((r) => r.join(" "))
        .sort(),
    );
    expect(rows.every((r) => r.exit_code === 0 && JSON.parse(r.detail).probes.join() === probeIds.join())).toBe(true);
    expect(rows[0].command).toBe(`probes (one script): swap-off, cgroup-version; reads ${BOOT_FILES.join(", ")}`);
    // The script is stored once; each row keeps only its own nonce line.
    const stored = db.prepare("SELECT hash, text FROM audit_scripts").all() as { hash: string; text: string }[];
    const hashes = new Set(rows.map((r) => r.script_hash));
    expect(stored.filter((s) => hashes.has(s.hash)).length).toBeLessThanOrEqual(2); // reused outputs change the script once
    for (const r of rows) expect(JSON.parse(r.detail).preamble).toMatch(/^nodeprep_nonce=[0-9a-f]{16}\n$/);
  });

  it("bootInfo rounds to whole seconds and tolerates missing files", () => {
    expect(bootInfo(bootFiles("33333333-3333-4333-8333-333333333333", "10.40 1.00"), Date.parse("2026-01-01T00:00:10.500Z"))).toEqual({
      bootId: "33333333-3333-4333-8333-333333333333",
      bootedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(bootInfo({}, 0)).toEqual({ bootId: null, bootedAt: null });
  });
});
