// npm run bench -- health [--nodes 1,2,4] [--reps 7] [--skip-ansible] [--skip-render] [--prepared]
//
// 1. Scan of 1, 2, 4 practice nodes (53..56) through the real health service (pool, one batched
//    script per node as root, SQLite history and drift) as a ratio to ONE bare ssh2 exec of `true` per
//    node, both on open connections, measured alternately in the same run (target <= 1.5x). The same
//    with cold connections (connect + exec) is reported too.
//    A scan runs a probe command again only when its inputs changed (server/catalog/inputs.ts); on these
//    unchanged nodes that is the scan every refresh does. A scan with every command run again
//    (rerunAll, as on a node's first scan) is reported beside it.
// 2. The same checks (the script the scanner sends when it runs every command) through
//    `ansible all -m shell -b` on the same nodes in the same run, against a rerunAll scan, so both
//    do the same work on the host (Debian ansible-core, installed for the bench only): target
//    nodeprep >= 3x faster.
// With --prepared (a few minutes more): the first node is prepared by the wizard's every step (the
//    lab's local release), then scanned as in 1. This is the on-call case: containerd runs there, so
//    the commands that ask it (ctr, systemctl, containerd config dump) run in every scan.
// 3. The matrix (components/health/health-matrix.tsx) rendered in Chromium with 500 synthetic nodes
//    generated here, never in the product: first render, an update of 25 rows, a tooltip.
// Prints ratios; writes bench/results/health-<time>.json.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Client } from "ssh2";
import { arg, coldExecTrue, connectBare, ensureAnsible, execTrue, median, round, runAnsible, runInChromium, timed, writeResults } from "./lib";
import type { PracticeNode } from "../lab";
import type { HealthColumn, HealthMatrix, HealthNodeRow } from "../lib/contracts/health";

const NODE_NUMBERS = [53, 54, 55, 56];

// ---- synthetic matrix for the render benchmark (bench only) ----

const RUNTIME_COLUMNS: [string, string, string][] = [
  ["containerd-installed", "containerd installed", "containerd"],
  ["runc-installed", "runc", "runc"],
  ["cni-plugins", "CNI plugins", "cni-plugins"],
  ["containerd-active", "containerd service", "containerd-service"],
  ["cri-plugin", "CRI plugin", "cgroup-driver"],
  ["systemd-cgroup", "SystemdCgroup (effective)", "cgroup-driver"],
  ["kubelet-cgroup-driver", "kubelet driver match", "kubelet-cgroup-driver"],
];

export function syntheticMatrix(base: HealthColumn[], count: number, seed = 42): HealthMatrix {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const columns: HealthColumn[] = [
    ...base,
    ...RUNTIME_COLUMNS.filter(([id]) => !base.some((c) => c.probeId === id)).map(([probeId, title, fixStepId]) => ({
      probeId,
      title,
      fixStepId,
      layer: "containerd" as const,
    })),
  ];
  const at = new Date().toISOString();
  const nodes: HealthNodeRow[] = Array.from({ length: count }, (_, i) => {
    const unreachable = rand() < 0.02;
    const cells = columns.map((c, ci) => {
      const x = rand();
      const state = unreachable ? "unreachable" : x < 0.85 ? "ok" : x < 0.9 ? "warn" : x < 0.98 ? "fail" : "unknown";
      return { probeId: c.probeId, state, observed: `observed ${i}/${ci}`, expected: "expected value", detail: "", checkId: i * 100 + ci, at, lastKnown: null } as const;
    });
    return {
      nodeId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: `node-${String(i).padStart(3, "0")}`,
      address: `10.0.${i >> 8}.${i & 255}`,
      port: 22,
      practice: false,
      lastCheck: null,
      cells: cells.map((c) => ({ ...c })),
      ready: cells.every((c) => c.state === "ok" || c.state === "warn"),
      openDrift: 0,
    };
  });
  return { columns, nodes, summary: { ready: nodes.filter((n) => n.ready).length, total: count, unreachable: 0, neverChecked: 0 }, scan: null, version: 0 };
}

async function renderBench(columns: HealthColumn[], count: number, reps: number) {
  const matrix = syntheticMatrix(columns, count);
  const result = await runInChromium("bench/health-render-entry.tsx", "benchMatrix", [matrix, reps]);
  return { nodes: count, columns: matrix.columns.length, ...(result as { firstRenderMs: number; firstFrameMs: number; updateMs: number; tooltipMs: number; keyMoveMs: number }) };
}

async function catalogColumns(): Promise<HealthColumn[]> {
  const { probes } = await import("../server/catalog");
  const { layerOf } = await import("../lib/contracts/health");
  return [...probes.values()].map((p) => ({ probeId: p.id, title: p.title, fixStepId: p.fixStepId, layer: layerOf({ probeId: p.id, fixStepId: p.fixStepId }) }));
}

function printRender(render: Awaited<ReturnType<typeof renderBench>>) {
  console.log(
    `[bench] matrix in Chromium, ${render.nodes} synthetic nodes x ${render.columns} probes: first render ${render.firstRenderMs} ms (to next frame ${render.firstFrameMs} ms), 25-row update ${render.updateMs} ms, tooltip ${render.tooltipMs} ms, keyboard move ${render.keyMoveMs} ms`,
  );
}


export async function main(args: string[]) {
  if (args.includes("--render-only")) {
    const render = await renderBench(await catalogColumns(), 500, 5);
    printRender(render);
    writeResults("health", { at: new Date().toISOString(), render });
    return;
  }
  const counts = (arg(args, "--nodes") ?? "1,2,4").split(",").map(Number);
  const reps = Number(arg(args, "--reps") ?? "7");
  const maxNodes = Math.max(...counts);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-bench-health-"));
  // The bench's nodes and database live apart from a demo's or a test run's (same image cache).
  process.env.NODEPREP_LAB_STATE = path.join(work, "lab");
  process.env.NODEPREP_DATA_DIR = path.join(work, "data");
  const results: Record<string, unknown> = { at: new Date().toISOString(), host: { cpus: os.cpus().length, model: os.cpus()[0]?.model }, reps };

  const lab = await import("../lab");
  // The wizard installs the lab's local release on a prepared node (read when the release list loads).
  if (args.includes("--prepared")) process.env.NODEPREP_LOCAL_RELEASES ??= (await lab.ensureImage()).artifactsDir;
  const numbers = NODE_NUMBERS.slice(0, maxNodes);
  const labNodes: PracticeNode[] = [];
  const bare: Client[] = [];
  let closePool = () => {};
  try {
    for (const n of numbers) labNodes.push(await lab.startNode(n));
    const { db } = await import("../server/db");
    const { syncPracticeNodes } = await import("../server/practice/sync");
    const { health } = await import("../server/health");
    const { observation } = await import("../server/catalog");
    const { BOOT_FILES } = await import("../server/health/scanner");
    const ssh = await import("../server/ssh");
    closePool = ssh.closeAllConnections;
    const synced = syncPracticeNodes(db());
    const idOf = (node: PracticeNode) => synced.find((s) => s.name === node.name)!.id;
    const scan = async (nodes: PracticeNode[], rerunAll = false) => {
      const s = health().startScan({ nodeIds: nodes.map(idOf), trigger: "manual", actor: "bench", rerunAll });
      await s.done;
      const m = health().matrix();
      const bad = m.nodes.filter((r) => nodes.some((n) => idOf(n) === r.nodeId) && r.lastCheck?.reach !== "reachable");
      if (bad.length) throw new Error(`scan did not reach ${bad.map((b) => `${b.name}: ${b.lastCheck?.message}`).join("; ")}`);
    };
    for (const node of labNodes) bare.push(await connectBare(node));
    /** The bare exec, a scan and a rerunAll scan, taken in turn `reps` times: medians and ratios. */
    const alternate = async (bareOnce: () => Promise<unknown>, nodes: PracticeNode[]) => {
      const bareMs: number[] = [];
      const scanMs: number[] = [];
      const fullMs: number[] = [];
      for (let i = 0; i < reps; i++) {
        bareMs.push(await timed(bareOnce));
        scanMs.push(await timed(() => scan(nodes)));
        fullMs.push(await timed(() => scan(nodes, true)));
      }
      return {
        bareExecTrueMs: round(median(bareMs)),
        scanMs: round(median(scanMs)),
        ratio: round(median(scanMs) / median(bareMs), 2),
        fullScanMs: round(median(fullMs)),
        fullRatio: round(median(fullMs) / median(bareMs), 2),
      };
    };

    // ---- 1. scan vs bare exec ----
    const scanRows: Record<string, number | null>[] = [];
    for (const count of counts) {
      const nodes = labNodes.slice(0, count);
      const clients = bare.slice(0, count);
      await scan(nodes); // warm: pooled connections open, sudo and page cache warm on the nodes
      await Promise.all(clients.map(execTrue));
      const warm = await alternate(() => Promise.all(clients.map(execTrue)), nodes);
      // Cold: a fresh connection for each (handshake, auth) then the same work.
      const coldBare: number[] = [];
      const coldScan: number[] = [];
      for (let i = 0; i < Math.min(3, reps); i++) {
        coldBare.push(await timed(() => coldExecTrue(nodes)));
        closePool();
        coldScan.push(await timed(() => scan(nodes)));
      }
      // What batching saves: the same probes, one exec each (as root, pooled connection), on the first node.
      let perProbeMs: number | null = null;
      if (count === counts[0]) {
        const { observeHost, probes } = await import("../server/catalog");
        const { loadTarget } = await import("../server/nodes/targets");
        const host = ssh.getRemoteHost(loadTarget(db(), idOf(nodes[0])));
        const each: number[] = [];
        for (let i = 0; i < Math.min(3, reps); i++) {
          each.push(await timed(async () => {
            for (const id of probes.keys()) await observeHost(host, [id], { files: [] });
          }));
        }
        perProbeMs = round(median(each));
        console.log(`[bench] the same probes one exec each on 1 node: ${perProbeMs} ms`);
      }
      const row = {
        nodes: count,
        perProbeExecsMs: perProbeMs,
        ...warm,
        coldBareMs: round(median(coldBare)),
        coldScanMs: round(median(coldScan)),
        coldRatio: round(median(coldScan) / median(coldBare), 2),
      };
      scanRows.push(row);
      console.log(`[bench] scan of ${count} node(s): ${row.scanMs} ms vs bare exec of true ${row.bareExecTrueMs} ms -> ${row.ratio}x (target <= 1.5x); every command run again (rerunAll) ${row.fullScanMs} ms -> ${row.fullRatio}x; cold ${row.coldScanMs} vs ${row.coldBareMs} ms -> ${row.coldRatio}x`);
    }
    results.scan = scanRows;

    // ---- 2. ansible ----
    if (!args.includes("--skip-ansible")) {
      const ansible = ensureAnsible();
      if (!ansible) {
        results.ansible = { skipped: "ansible-core could not be installed" };
      } else {
        const script = observation([...(await import("../server/catalog")).probes.keys()], [...BOOT_FILES]).script;
        const inventory = path.join(work, "inventory.ini");
        fs.writeFileSync(
          inventory,
          [
            "[practice]",
            ...labNodes.map((n) => `${n.name} ansible_host=${n.host} ansible_port=${n.port} ansible_user=${n.user} ansible_ssh_private_key_file=${n.privateKeyPath}`),
            "[all:vars]",
            "ansible_python_interpreter=/usr/bin/python3",
            "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR'",
            "",
          ].join("\n"),
        );
        const env = {
          ...process.env,
          ANSIBLE_HOME: path.join(work, "ansible"),
          ANSIBLE_LOCAL_TEMP: path.join(work, "ansible", "tmp"),
          ANSIBLE_HOST_KEY_CHECKING: "False",
          ANSIBLE_NOCOLOR: "1",
          ANSIBLE_DEPRECATION_WARNINGS: "False",
        };
        const ansibleRows: Record<string, number>[] = [];
        for (const count of counts) {
          const nodes = labNodes.slice(0, count);
          const hosts = nodes.map((n) => n.name);
          const first = await runAnsible(ansible, inventory, hosts.join(","), script, env, hosts.length); // opens its ControlPersist connections
          if (!hosts.every((h) => first.out.includes(`${h} | CHANGED`))) throw new Error(`ansible did not run on every node:\n${first.out.slice(-2000)}`);
          const ansibleMs: number[] = [];
          const scanMs: number[] = [];
          for (let i = 0; i < Math.min(3, reps); i++) {
            ansibleMs.push((await runAnsible(ansible, inventory, hosts.join(","), script, env, hosts.length)).ms);
            scanMs.push(await timed(() => scan(nodes, true)));
          }
          const row = {
            nodes: count,
            ansibleMs: round(median(ansibleMs)),
            ansibleFirstMs: round(first.ms),
            scanMs: round(median(scanMs)),
            speedup: round(median(ansibleMs) / median(scanMs), 1),
          };
          ansibleRows.push(row);
          console.log(`[bench] same checks with ansible on ${count} node(s): ${row.ansibleMs} ms (first run ${row.ansibleFirstMs} ms) vs nodeprep ${row.scanMs} ms -> nodeprep ${row.speedup}x faster (target >= 3x)`);
        }
        results.ansible = { version: spawnSync(ansible, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0], rows: ansibleRows };
      }
    }

    // ---- --prepared: a node prepared by every step ----
    if (args.includes("--prepared")) {
      const { engine } = await import("../server/runs");
      const { getRun } = await import("../server/runs/repository");
      const { steps } = await import("../server/catalog");
      const node = labNodes[0];
      const run = engine().start({ stepIds: steps.map((st) => st.id), nodeIds: [idOf(node)], mode: "apply", actor: "bench" });
      await run.done;
      const status = getRun(db(), run.runId)?.status;
      if (status !== "succeeded") throw new Error(`preparing ${node.name} ended ${status}`);
      await scan([node], true);
      await scan([node]);
      const m = health().matrix().nodes.find((r) => r.nodeId === idOf(node))!;
      const row = { ready: m.ready, ...(await alternate(() => execTrue(bare[0]), [node])) };
      results.prepared = row;
      console.log(`[bench] prepared node (ready: ${row.ready}): scan ${row.scanMs} ms vs bare exec of true ${row.bareExecTrueMs} ms -> ${row.ratio}x; rerunAll ${row.fullScanMs} ms -> ${row.fullRatio}x`);
    }

    // ---- 3. render ----
    if (!args.includes("--skip-render")) {
      const render = await renderBench(health().columns(), 500, 5);
      results.render = render;
      printRender(render);
    }
  } catch (error) {
    results.error = String(error);
    writeResults("health", results);
    throw error;
  } finally {
    for (const c of bare) c.end();
    closePool();
    for (const n of numbers) await lab.stopNode(n);
    fs.rmSync(work, { recursive: true, force: true });
  }

  writeResults("health", results);
}
