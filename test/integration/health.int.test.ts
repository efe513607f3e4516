// The health scanner on real practice nodes (51, 52), through the real SSH pool, catalog and SQLite:
// a fresh node fails the module probes and passes the host probes; after the wizard's two steps it is
// green for those probes; `modprobe -r br_netfilter` turns the right probes red with a drift event; a frozen node is
// unreachable while the other one's check lands; fixed again resolves the drift; a reboot without
// /etc/sysctl.d/k8s.conf is drift with "the node rebooted" context.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execOn, pauseNode, rebootNode, resumeNode, startNode, stopNode, type PracticeNode } from "../../lab";

const A = 51;
const B = 52;
let nodeA: PracticeNode;
let ids: { a: string; b: string };
let m: {
  health: typeof import("../../server/health").health;
  listDrift: typeof import("../../server/health").listDrift;
  getCheck: typeof import("../../server/health").getCheck;
  engine: typeof import("../../server/runs").engine;
  closeAllConnections: typeof import("../../server/ssh").closeAllConnections;
  db: typeof import("../../server/db").db;
  nodes: typeof import("../../server/nodes/repository");
};

beforeAll(async () => {
  process.env.NODEPREP_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "np-health-it-"));
  [nodeA] = await Promise.all([startNode(A), startNode(B)]);
  const { db } = await import("../../server/db");
  const { syncPracticeNodes } = await import("../../server/practice/sync");
  const nodes = syncPracticeNodes(db());
  ids = { a: nodes.find((n) => n.name === `practice-${A}`)!.id, b: nodes.find((n) => n.name === `practice-${B}`)!.id };
  const health = await import("../../server/health");
  const runs = await import("../../server/runs");
  const ssh = await import("../../server/ssh");
  const nodesRepo = await import("../../server/nodes/repository");
  m = { health: health.health, listDrift: health.listDrift, getCheck: health.getCheck, engine: runs.engine, closeAllConnections: ssh.closeAllConnections, db, nodes: nodesRepo };
});

afterAll(async () => {
  m?.closeAllConnections();
  await Promise.all([stopNode(A), stopNode(B)]);
});

async function scan(nodeIds?: string[], opts: { rerunAll?: boolean } = {}) {
  const s = m.health().startScan({ nodeIds, trigger: "manual", actor: "it", ...opts });
  expect(s.alreadyRunning).toBe(false);
  await s.done;
  return m.health().matrix();
}

const states = (matrix: Awaited<ReturnType<typeof scan>>, nodeId: string) => {
  const row = matrix.nodes.find((n) => n.nodeId === nodeId)!;
  return Object.fromEntries(row.cells.map((c) => [c.probeId, c.state]));
};

/** The probes the wizard's first two steps make pass, and the host probes (the runtime probes need the runtime steps). */
const PREPARED = ["module-overlay", "module-br-netfilter", "modules-persisted", "sysctl-values", "sysctl-persisted", "swap-off", "cgroup-version"];
const allOk = (matrix: Awaited<ReturnType<typeof scan>>, nodeId: string) => PREPARED.map((p) => [p, states(matrix, nodeId)[p]]);
const OK = PREPARED.map((p) => [p, "ok"]);

async function prepare(nodeId: string) {
  const { done, runId } = m.engine().start({ stepIds: ["kernel-modules", "sysctl"], nodeIds: [nodeId], mode: "apply", actor: "it" });
  await done;
  return runId;
}

describe("health scans on practice nodes", () => {
  it("fresh nodes: module and sysctl probes fail, swap and cgroup v2 are ok, every probe in one check with its raw output", async () => {
    const matrix = await scan();
    expect(matrix.columns.map((c) => c.probeId)).toEqual(expect.arrayContaining(["module-overlay", "module-br-netfilter", "sysctl-values", "swap-off", "cgroup-version"]));
    for (const id of [ids.a, ids.b]) {
      const s = states(matrix, id);
      expect(s["module-br-netfilter"]).toBe("fail");
      expect(s["swap-off"]).toBe("ok");
      expect(s["cgroup-version"]).toBe("ok");
    }
    const row = matrix.nodes.find((n) => n.nodeId === ids.a)!;
    expect(row.lastCheck).toMatchObject({ reach: "reachable" });
    expect(row.lastCheck!.bootId).toMatch(/^[0-9a-f-]{36}$/);
    const check = m.getCheck(m.db(), row.lastCheck!.id)!;
    const fstype = check.results.find((r) => r.probeId === "cgroup-version")!.raw[0];
    expect(fstype).toMatchObject({ command: "stat -fc %T /sys/fs/cgroup", output: "cgroup2fs\n", exitCode: 0 });
    expect(fstype.inputs).toMatch(/cgroup2 \/sys\/fs\/cgroup cgroup2 /);
    expect(matrix.summary).toMatchObject({ ready: 0, total: 2 });
    // Never tested, only scanned: the node page still knows it is reachable, and its facts.
    expect(m.nodes.getNode(m.db(), ids.b)!.lastContact).toMatchObject({ ok: true, kind: null });
    expect(m.nodes.getFacts(m.db(), ids.b)).toMatchObject({ hostname: `practice-${B}`, swapActive: false });
  });

  it("a second scan reuses the outputs whose inputs are unchanged (with when they ran); rerunAll runs every command", async () => {
    const first = (await scan([ids.b], { rerunAll: true })).nodes.find((n) => n.nodeId === ids.b)!.lastCheck!;
    const second = (await scan([ids.b])).nodes.find((n) => n.nodeId === ids.b)!;
    const raw = (probeId: string, checkId: number) => m.getCheck(m.db(), checkId)!.results.find((r) => r.probeId === probeId)!.raw;
    // Nothing changed on the node: lsmod, sysctl and systemctl did not start; their outputs are the
    // first check's, dated by it. The verdicts are the same.
    for (const [probeId, command] of [
      ["module-br-netfilter", "lsmod | grep -E '^(overlay|br_netfilter) '"],
      ["sysctl-values", "sysctl net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward"],
      ["containerd-active", "systemctl show -p ActiveState -p UnitFileState -p FragmentPath containerd"],
      // No swap and no swap unit: the swap probes start nothing either.
      ["swapon-show", "swapon --show"],
      ["swap-units", "systemctl list-unit-files --type=swap"],
    ]) {
      const before = raw(probeId, first.id).find((r) => r.command === command)!;
      const after = raw(probeId, second.lastCheck!.id).find((r) => r.command === command)!;
      expect(before.ranAt, probeId).toBeUndefined();
      expect(after, probeId).toMatchObject({ output: before.output, exitCode: before.exitCode, inputs: before.inputs, ranAt: first.at });
    }
    expect(second.cells.find((c) => c.probeId === "module-br-netfilter")!.state).toBe("fail");

    const third = (await scan([ids.b], { rerunAll: true })).nodes.find((n) => n.nodeId === ids.b)!.lastCheck!;
    expect(m.getCheck(m.db(), third.id)!.results.flatMap((r) => r.raw).filter((r) => r.ranAt !== undefined)).toEqual([]);
  });

  it("after the wizard's two steps node A passes those probes; modprobe -r br_netfilter is drift on the right probes", async () => {
    await prepare(ids.a);
    let matrix = await scan();
    expect(allOk(matrix, ids.a)).toEqual(OK);

    const r = await execOn(nodeA, "sudo -n /sbin/modprobe -r br_netfilter && echo removed");
    expect(r.stdout).toContain("removed");
    matrix = await scan();
    const s = states(matrix, ids.a);
    expect(s["module-br-netfilter"]).toBe("fail");
    expect(s["sysctl-values"]).toBe("fail");
    expect(s["module-overlay"]).toBe("ok");
    expect(s["modules-persisted"]).toBe("ok");
    const drift = m.listDrift(m.db(), { open: true, nodeId: ids.a });
    expect(drift.map((d) => d.probeId).sort()).toEqual(["module-br-netfilter", "sysctl-values"]);
    expect(drift.every((d) => d.rebooted === false)).toBe(true);
    const cell = matrix.nodes.find((n) => n.nodeId === ids.a)!.cells.find((c) => c.probeId === "sysctl-values")!;
    expect(cell.observed).toContain("missing (br_netfilter is not loaded)");
    const raw = m.getCheck(m.db(), cell.checkId!)!.results.find((x) => x.probeId === "sysctl-values")!.raw[0].output;
    expect(raw).toContain("cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables");
    // Their inputs changed, so lsmod and sysctl ran again in this scan (no earlier ranAt).
    const results = m.getCheck(m.db(), cell.checkId!)!.results;
    expect(results.filter((x) => ["sysctl-values", "module-br-netfilter"].includes(x.probeId)).map((x) => x.raw[0].ranAt)).toEqual([undefined, undefined]);
  });

  it("a frozen node is unreachable while the other node's check still lands; fixed again resolves the drift", async () => {
    await pauseNode(B);
    try {
      await prepare(ids.a);
      const s = m.health().startScan({ trigger: "manual", actor: "it" });
      // Node A's new check is stored while B is still pending (B only ends at its deadline).
      await expect
        .poll(() => m.health().matrix().scan!.nodes.map((n) => n.state).join(","), { timeout: 15_000, interval: 100 })
        .toMatch(new RegExp(`^done,(connecting|probing)$`));
      await s.done;
    } finally {
      await resumeNode(B);
    }
    const matrix = m.health().matrix();
    const b = matrix.nodes.find((n) => n.nodeId === ids.b)!;
    expect(b.lastCheck).toMatchObject({ reach: "unreachable", errorKind: "timeout" });
    expect(b.cells.every((c) => c.state === "unreachable")).toBe(true);
    expect(b.cells.find((c) => c.probeId === "swap-off")!.lastKnown).toBe("ok");
    expect(allOk(matrix, ids.a)).toEqual(OK);
    expect(m.listDrift(m.db(), { open: true, nodeId: ids.a })).toEqual([]);
    expect(m.listDrift(m.db(), { nodeId: ids.a }).every((d) => d.resolvedAt !== null)).toBe(true);
  }, 120_000);

  it("without /etc/sysctl.d/k8s.conf a reboot loses ip_forward: drift that says the node rebooted", async () => {
    // Self-contained: prepared and seen ok first (a no-op when the tests above ran).
    await prepare(ids.a);
    const seen = await scan([ids.a]);
    expect(allOk(seen, ids.a)).toEqual(OK);
    const before = seen.nodes.find((n) => n.nodeId === ids.a)!.lastCheck!;
    await execOn(nodeA, "sudo -n rm -f /etc/sysctl.d/k8s.conf");
    m.closeAllConnections();
    await rebootNode(nodeA);
    const matrix = await scan([ids.a]);
    const row = matrix.nodes.find((n) => n.nodeId === ids.a)!;
    expect(row.lastCheck!.bootId).not.toBe(before.bootId);
    const s = states(matrix, ids.a);
    expect(s["module-br-netfilter"]).toBe("ok"); // persisted by /etc/modules-load.d/k8s.conf
    expect(s["sysctl-persisted"]).toBe("fail");
    expect(s["sysctl-values"]).toBe("fail");
    // What every sysctl.d file sets at boot no longer includes ip_forward = 1 either.
    expect(s["sysctl-at-boot"]).toBe("fail");
    const drift = m.listDrift(m.db(), { open: true, nodeId: ids.a });
    expect(drift.map((d) => d.probeId).sort()).toEqual(["sysctl-at-boot", "sysctl-persisted", "sysctl-values"]);
    expect(drift.every((d) => d.rebooted && d.bootedAt !== null)).toBe(true);
    expect(Date.parse(drift[0].bootedAt!)).toBeGreaterThan(Date.parse(drift[0].lastOkAt));
  }, 400_000);
});
