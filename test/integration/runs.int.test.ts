// The wizard's engine on a real practice node, through the real SSH layer, facts, catalog and
// SQLite: both steps apply and verify, a second run changes nothing (mtimes unchanged), a node that
// freezes mid-run ends failed with a clear message and a retry succeeds; the swap step turns off swap
// that systemd brought up from /etc/fstab and from an admin's own unit; a rolling Apply whose first batch
// fails leaves the node in the next batch untouched; a canary batch on it waits for Continue before the
// next batch; and one reboot keeps it all.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execOn, pauseNode, rebootNode, resumeNode, startNode, stopNode, type PracticeNode } from "../../lab";
import type { RunEvent } from "../../lib/contracts/runs";

const N = 21;
let node: PracticeNode;
let nodeId: string;
let mods: {
  engine: typeof import("../../server/runs").engine;
  subscribe: typeof import("../../server/runs/bus").subscribe;
  getRun: (runId: string) => ReturnType<typeof import("../../server/runs/repository").getRun>;
  listEvents: (runId: string) => RunEvent[];
  closeAllConnections: typeof import("../../server/ssh").closeAllConnections;
};

beforeAll(async () => {
  // The server modules read their data directory once: point it at a fresh one before importing.
  process.env.NODEPREP_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "np-runs-it-"));
  node = await startNode(N);
  const { db } = await import("../../server/db");
  const { syncPracticeNodes } = await import("../../server/practice/sync");
  nodeId = syncPracticeNodes(db()).find((n) => n.name === node.name)!.id;
  const runs = await import("../../server/runs");
  const bus = await import("../../server/runs/bus");
  const repo = await import("../../server/runs/repository");
  const ssh = await import("../../server/ssh");
  mods = { engine: runs.engine, subscribe: bus.subscribe, getRun: (id) => repo.getRun(db(), id), listEvents: (id) => repo.listEvents(db(), id), closeAllConnections: ssh.closeAllConnections };
});

afterAll(async () => {
  mods?.closeAllConnections();
  await stopNode(N);
});

async function apply(stepIds: string[], mode: "apply" | "check" = "apply", onEvent?: (e: RunEvent) => void) {
  const { runId, done } = mods.engine().start({ stepIds, nodeIds: [nodeId], mode, actor: "it" });
  const off = onEvent ? mods.subscribe(runId, onEvent) : () => {};
  await done;
  off();
  return { run: mods.getRun(runId)!, events: mods.listEvents(runId) };
}

const probes = (events: RunEvent[]) =>
  Object.fromEntries(
    events.flatMap((e) => (e.type === "probe" && e.phase === "verify" ? [[e.result.probeId, e.result]] : [])),
  );
const mtimes = async () =>
  (await execOn(node, "stat -c '%n %Y' /etc/modules-load.d/k8s.conf /etc/sysctl.d/k8s.conf")).stdout;

describe("the wizard's first two steps on a practice node", () => {
  it("applies kernel-modules and sysctl, streams the commands, and verifies with the raw output", async () => {
    const live: RunEvent[] = [];
    const { run, events } = await apply(["kernel-modules", "sysctl"], "apply", (e) => live.push(e));
    expect(run.nodes[0].message).toBe("changed and verified");
    expect(run.status).toBe("succeeded");
    expect(live.some((e) => e.type === "command-started" && e.command === "modprobe br_netfilter")).toBe(true);
    expect(live.some((e) => e.type === "command-started" && e.command === "sysctl --system")).toBe(true);
    expect(live.some((e) => e.type === "output" && e.line.includes("Applying /etc/sysctl.d/k8s.conf"))).toBe(true);
    const p = probes(events);
    expect(p["module-overlay"].raw[0].output).toMatch(/^overlay\s+\d+\s+0/m);
    expect(p["module-br-netfilter"].raw[0].output).toMatch(/^br_netfilter\s+\d+/m);
    expect(p["sysctl-values"].raw[0].output).toBe(
      "net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n",
    );
    expect(p["sysctl-values"].checks.map((c) => c.status)).toEqual(["ok", "ok", "ok"]);
    expect(p["modules-persisted"].status).toBe("ok");
    expect((await execOn(node, "cat /etc/modules-load.d/k8s.conf")).stdout).toBe("overlay\nbr_netfilter\n");
  });

  it("a second run plans nothing, changes nothing, and leaves the files' mtimes alone", async () => {
    const before = await mtimes();
    const { run, events } = await apply(["kernel-modules", "sysctl"]);
    expect(run.nodes[0]).toMatchObject({ status: "unchanged", message: "already done, nothing changed" });
    expect(events.filter((e) => e.type === "plan").map((e) => (e.type === "plan" ? e.actions.length : -1))).toEqual([0, 0]);
    expect(events.some((e) => e.type === "command-started")).toBe(false);
    expect(await mtimes()).toBe(before);
  });

  it("a node that freezes mid-run ends failed with a clear message; the retry succeeds", async () => {
    await execOn(node, "sudo -n rm -f /etc/sysctl.d/k8s.conf && sudo -n /sbin/sysctl -qw net.ipv4.ip_forward=0");
    let paused: Promise<void> | null = null;
    let run;
    try {
      ({ run } = await apply(["sysctl"], "apply", (e) => {
        if (!paused && e.type === "phase" && e.phase === "apply") paused = pauseNode(N);
      }));
    } finally {
      if (paused) {
        await paused;
        await resumeNode(N);
      }
    }
    expect(paused).not.toBeNull();
    expect(run.status).toBe("failed");
    expect(run.nodes[0].status).toBe("failed");
    expect(run.nodes[0].message).toMatch(/^(lost the SSH connection to|practice-21 \(127\.0\.0\.1:\d+\) did not answer in time)/);
    expect(run.nodes[0].message).toContain("run the step again");
    const retry = await apply(["sysctl"]);
    expect(retry.run.status).toBe("succeeded");
    expect(probes(retry.events)["sysctl-values"].checks.map((c) => c.observed)).toEqual(["1", "1", "1"]);
  });

  it("swap on from /etc/fstab and from an admin's own unit: Apply turns it off, comments out fstab, masks and disables the units; again changes nothing", async () => {
    // What a boot does with swap: systemd's fstab generator makes swapfile.swap from the fstab line,
    // var-swap2.swap is enabled into swap.target, and swap.target starts both (the reboot below then
    // proves that nothing turns them on again).
    const setup = await execOn(
      node,
      "sudo -n sh -c 'set -e; fallocate -l 32M /swapfile; chmod 600 /swapfile; /sbin/mkswap /swapfile >/dev/null; " +
        'echo "/swapfile none swap sw 0 0" >> /etc/fstab; fallocate -l 16M /var/swap2; chmod 600 /var/swap2; /sbin/mkswap /var/swap2 >/dev/null; ' +
        'printf "[Swap]\\nWhat=/var/swap2\\n\\n[Install]\\nWantedBy=swap.target\\n" > /etc/systemd/system/var-swap2.swap; ' +
        "systemctl daemon-reload; systemctl enable var-swap2.swap 2>/dev/null; systemctl start swap.target'",
    );
    expect(setup.code).toBe(0);
    expect((await execOn(node, "systemctl is-active swapfile.swap var-swap2.swap")).stdout).toBe("active\nactive\n");
    const fstabBefore = (await execOn(node, "cat /etc/fstab")).stdout;

    const { run, events } = await apply(["swap"]);
    expect(run.nodes[0]).toMatchObject({ status: "changed", message: "changed and verified" });
    const plan = events.find((e) => e.type === "plan");
    expect(plan?.type === "plan" && plan.actions.map((a) => a.command.split(/ &&\s/)[0])).toEqual([
      "swapoff -a",
      "mkdir -p /etc",
      "systemctl disable --now var-swap2.swap",
      "systemctl mask swapfile.swap",
      "systemctl daemon-reload",
    ]);
    const file = plan?.type === "plan" ? plan.actions.find((a) => a.kind === "write-file") : undefined;
    expect(file?.kind === "write-file" && file.diff).toContain("-/swapfile none swap sw 0 0\n+#/swapfile none swap sw 0 0");
    expect(Object.values(probes(events)).map((r) => [r.probeId, r.status])).toEqual([
      ["swap-off", "ok"],
      ["swapon-show", "ok"],
      ["swap-units", "ok"],
    ]);
    expect(probes(events)["swapon-show"].raw[0]).toMatchObject({ command: "swapon --show", output: "", exitCode: 0 });
    expect((await execOn(node, "cat /etc/fstab")).stdout).toBe(fstabBefore.replace("\n/swapfile none swap", "\n#/swapfile none swap"));

    const again = await apply(["swap"]);
    expect(again.run.nodes[0].status).toBe("unchanged");
    expect(again.events.some((e) => e.type === "command-started")).toBe(false);
  }, 120_000);

  /** A node nobody answers for: a loopback port just freed, so the connection is refused at once. */
  async function deadNode(name: string) {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const { db } = await import("../../server/db");
    const { createNode } = await import("../../server/nodes/service");
    return createNode(db(), { name, address: "127.0.0.1", port, username: "nobody", auth: { method: "dashboard-key" }, privilege: { kind: "sudo-nopasswd" } }, "it");
  }

  it("a rolling Apply stops after a failed batch: the practice node in the next batch is not started, and nothing ran on it", async () => {
    const { db } = await import("../../server/db");
    const dead = await deadNode("dead-end");
    await execOn(node, "sudo -n rm -f /etc/sysctl.d/k8s.conf");
    const { runId, done } = mods.engine().start({ stepIds: ["sysctl"], nodeIds: [dead.id, nodeId], mode: "apply", actor: "it", rolling: { batch: 1, stopAfter: 1 } });
    await done;
    const run = mods.getRun(runId)!;
    expect(run.status).toBe("failed");
    expect(run.message).toBe("rollout stopped after batch 1 of 2: 1 of 1 node failed, the limit is 1; 1 node not started");
    expect(run.nodes.map((n) => [n.name, n.batch, n.status])).toEqual([
      ["dead-end", 1, "failed"],
      [node.name, 2, "skipped"],
    ]);
    expect(run.nodes[1].message).toBe("not started (stopped after batch 1 of 2: 1 of 1 node failed, the limit is 1)");
    expect(db().prepare("SELECT count(*) FROM audit_log WHERE run_id = ? AND node_id = ?").pluck().get(runId, nodeId)).toBe(0);
    expect((await execOn(node, "test -e /etc/sysctl.d/k8s.conf; echo $?")).stdout.trim()).toBe("1");
    // Put the step back for the next test.
    expect((await apply(["sysctl"])).run.status).toBe("succeeded");
  });

  it("a canary batch on the practice node waits for Continue; after Continue the next batch runs", async () => {
    const { db } = await import("../../server/db");
    const dead = await deadNode("after-canary");
    await execOn(node, "sudo -n rm -f /etc/sysctl.d/k8s.conf");
    const { runId, done } = mods.engine().start({ stepIds: ["sysctl"], nodeIds: [nodeId, dead.id], mode: "apply", actor: "it", rolling: { batch: 1, canary: true } });
    const waiting = await new Promise<RunEvent>((resolve) => {
      const off = mods.subscribe(runId, (e) => {
        if (e.type === "rollout-waiting") {
          off();
          resolve(e);
        }
      });
    });
    expect(waiting).toMatchObject({ wait: { kind: "canary", afterBatch: 1, of: 2, reason: "waiting for Continue after the canary batch: 1 of 1 node ok" } });
    let run = mods.getRun(runId)!;
    expect(run.status).toBe("running");
    expect(run.nodes.map((n) => [n.name, n.batch, n.status])).toEqual([
      [node.name, 1, "changed"],
      ["after-canary", 2, "pending"],
    ]);
    // The canary's change is on the host while the rollout waits.
    expect((await execOn(node, "test -e /etc/sysctl.d/k8s.conf; echo $?")).stdout.trim()).toBe("0");
    expect(mods.engine().continueRun(runId, "carol", 1)).toEqual({ ok: true });
    await done;
    run = mods.getRun(runId)!;
    // Batch 2 ran: its node was tried (and refused), so the run says so.
    expect(run.nodes.map((n) => n.status)).toEqual(["changed", "failed"]);
    expect(run.message).toBe("1 of 2 nodes did not finish: see each node's log");
    expect(db().prepare("SELECT actor FROM audit_log WHERE run_id = ? AND action = 'run-continued'").pluck().all(runId)).toEqual(["carol"]);
  });

  it("after a reboot every step still verifies, with nothing to change, and swap stays off (persistence)", async () => {
    mods.closeAllConnections();
    await rebootNode(node);
    const { run, events } = await apply(["kernel-modules", "sysctl", "swap"], "check");
    expect(run.nodes[0].status).toBe("unchanged");
    const p = probes(events);
    expect(Object.values(p).map((r) => [r.probeId, r.status])).toEqual([
      ["module-overlay", "ok"],
      ["module-br-netfilter", "ok"],
      ["modules-persisted", "ok"],
      ["sysctl-values", "ok"],
      ["sysctl-persisted", "ok"],
      ["sysctl-at-boot", "ok"],
      ["swap-off", "ok"],
      ["swapon-show", "ok"],
      ["swap-units", "ok"],
    ]);
    expect(p["swap-off"].raw[0].output).toMatch(/^Filename\s+Type\s+Size\s+Used\s+Priority\n$/);
    expect((await execOn(node, "systemctl is-enabled swapfile.swap var-swap2.swap; true")).stdout).toBe("masked\ndisabled\n");
  }, 400_000);
});
