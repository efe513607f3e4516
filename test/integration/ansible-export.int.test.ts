// The exported playbook, for real: nodeprep exports every wizard step with the lab's local
// release bundled; Debian's ansible-core runs it with --check --diff (changes shown, nothing changed),
// then for real, against two fresh practice nodes (71, 72); nodeprep's health scan then reports both
// ready with every probe ok, the wizard's Check plans nothing for any step, and a second
// ansible-playbook run reports changed=0.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage, execOn, startNode, stopNode, type LabImage, type PracticeNode } from "../../lab";
import type { RunEvent } from "../../lib/contracts/runs";

const NUMBERS = [71, 72];
let nodes: PracticeNode[];
let image: LabImage;
let work: string;
let ids: string[];
let m: {
  db: typeof import("../../server/db").db;
  exportAnsible: typeof import("../../server/export/ansible").exportAnsible;
  health: typeof import("../../server/health").health;
  engine: typeof import("../../server/runs").engine;
  getRun: typeof import("../../server/runs/repository").getRun;
  listEvents: typeof import("../../server/runs/repository").listEvents;
  steps: typeof import("../../server/catalog").steps;
  closeAllConnections: typeof import("../../server/ssh").closeAllConnections;
};

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "np-ansible-it-"));
  process.env.NODEPREP_DATA_DIR = path.join(work, "data");
  image = await ensureImage();
  process.env.NODEPREP_LOCAL_RELEASES = image.artifactsDir;
  nodes = await Promise.all(NUMBERS.map((n) => startNode(n, { image })));
  const { db } = await import("../../server/db");
  const { syncPracticeNodes } = await import("../../server/practice/sync");
  const synced = syncPracticeNodes(db());
  ids = nodes.map((n) => synced.find((s) => s.name === n.name)!.id);
  m = {
    db,
    exportAnsible: (await import("../../server/export/ansible")).exportAnsible,
    health: (await import("../../server/health")).health,
    engine: (await import("../../server/runs")).engine,
    getRun: (await import("../../server/runs/repository")).getRun,
    listEvents: (await import("../../server/runs/repository")).listEvents,
    steps: (await import("../../server/catalog")).steps,
    closeAllConnections: (await import("../../server/ssh")).closeAllConnections,
  };
});

afterAll(async () => {
  m?.closeAllConnections();
  await Promise.all(NUMBERS.map((n) => stopNode(n)));
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** ansible-playbook with its state in the test's directory; resolves with the output whatever the exit code. */
function playbook(dir: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const env = {
    ...process.env,
    ANSIBLE_HOME: path.join(work, "ansible"),
    ANSIBLE_LOCAL_TEMP: path.join(work, "ansible", "tmp"),
    ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(work, "ansible", "cp"),
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_FORCE_COLOR: "0",
    // Fewer SSH round trips per task; Debian's sudoers has no requiretty.
    ANSIBLE_PIPELINING: "1",
    ANSIBLE_RETRY_FILES_ENABLED: "0",
  };
  return new Promise((resolve, reject) => {
    const child = spawn("ansible-playbook", ["-i", "test-inventory.ini", "site.yml", ...args], { cwd: dir, env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** PLAY RECAP: host -> { ok, changed, failed, ... }. */
function recap(out: string): Record<string, Record<string, number>> {
  const lines = out.split("PLAY RECAP")[1]?.trim().split("\n") ?? [];
  return Object.fromEntries(
    lines
      .map((l) => /^(\S+)\s*:\s*(.*)$/.exec(l.trim()))
      .filter((x): x is RegExpExecArray => x !== null)
      .map((x) => [x[1], Object.fromEntries([...x[2].matchAll(/(\w+)=(\d+)/g)].map((p) => [p[1], Number(p[2])]))]),
  );
}

const sh = async (node: PracticeNode, command: string) => (await execOn(node, command)).stdout;

describe("the exported Ansible playbook on two fresh practice nodes", () => {
  let dir: string;

  it("is exported from the wizard's steps with the lab's release bundled, and --check --diff shows the changes without making them", async () => {
    const { stream, files } = m.exportAnsible(m.db(), { stepIds: m.steps.map((s) => s.id), delivery: { kind: "cache" }, arch: "amd64", nodeIds: ids }, "it");
    const archive = path.join(work, "export.tar.gz");
    await new Promise<void>((resolve, reject) => stream.pipe(fs.createWriteStream(archive)).on("finish", resolve).on("error", reject));
    execFileSync("tar", ["-xzf", archive, "-C", work]);
    dir = path.join(work, "nodeprep-ansible");
    expect(files.some((f) => f.path.endsWith(`files/${image.releases.containerd.file}`))).toBe(true);
    execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir });
    // The export's inventory (connection facts only) plus how this test signs in: the lab's key,
    // and each node's own host keys in known_hosts (StrictHostKeyChecking stays on).
    const inventory = fs.readFileSync(path.join(dir, "inventory.ini"), "utf8");
    for (const n of nodes) expect(inventory).toContain(`${n.name} ansible_host=127.0.0.1 ansible_port=${n.port} ansible_user=${n.user}`);
    const knownHosts = path.join(work, "known_hosts");
    fs.writeFileSync(knownHosts, nodes.flatMap((n) => n.hostKeys.map((k) => `[127.0.0.1]:${n.port} ${k}`)).join("\n") + "\n");
    fs.writeFileSync(
      path.join(dir, "test-inventory.ini"),
      `${inventory}\n[all:vars]\nansible_ssh_private_key_file=${nodes[0].privateKeyPath}\nansible_python_interpreter=/usr/bin/python3\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes'\n`,
    );

    const check = await playbook(dir, ["--check", "--diff"]);
    expect(check.code, check.out.slice(-3000)).toBe(0);
    const r = recap(check.out);
    for (const n of nodes) expect(r[n.name]).toMatchObject({ failed: 0, unreachable: 0 });
    for (const n of nodes) expect(r[n.name].changed).toBeGreaterThan(5);
    expect(check.out).toContain("+overlay\n+br_netfilter");
    expect(check.out).toMatch(/\+ *SystemdCgroup = true/);
    // Nothing changed on the hosts.
    for (const n of nodes) expect(await sh(n, "ls /etc/modules-load.d/k8s.conf /usr/local/bin/containerd /etc/containerd 2>&1 | grep -c 'No such file' || true")).toBe("3\n");
  }, 600_000);

  it("applies: nodeprep's health reports both nodes ready with every probe ok, and the wizard's Check plans nothing", async () => {
    const apply = await playbook(dir, []);
    expect(apply.code, apply.out.slice(-3000)).toBe(0);
    for (const n of nodes) expect(recap(apply.out)[n.name]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(apply.out).toContain("RUNNING HANDLER [nodeprep : systemctl restart containerd]");

    const scan = m.health().startScan({ nodeIds: ids, trigger: "manual", actor: "it", rerunAll: true });
    await scan.done;
    const matrix = m.health().matrix();
    for (const id of ids) {
      const row = matrix.nodes.find((r) => r.nodeId === id)!;
      expect(row.ready, row.name).toBe(true);
      expect(Object.fromEntries(row.cells.map((c) => [c.probeId, c.state]))).toEqual(Object.fromEntries(row.cells.map((c) => [c.probeId, "ok"])));
    }

    const { runId, done } = m.engine().start({ stepIds: m.steps.map((s) => s.id), nodeIds: ids, mode: "check", actor: "it" });
    await done;
    expect(m.getRun(m.db(), runId)!.status).toBe("succeeded");
    const events: RunEvent[] = m.listEvents(m.db(), runId);
    const plans = events.filter((e): e is Extract<RunEvent, { type: "plan" }> => e.type === "plan");
    expect(plans).toHaveLength(m.steps.length * ids.length);
    expect(plans.filter((p) => p.actions.length > 0).map((p) => `${p.nodeId} ${p.stepId}: ${p.actions.map((a) => a.command).join("; ")}`)).toEqual([]);
  }, 900_000);

  it("a second ansible-playbook run reports changed=0", async () => {
    const again = await playbook(dir, []);
    expect(again.code, again.out.slice(-3000)).toBe(0);
    for (const n of nodes) expect(recap(again.out)[n.name], again.out.slice(-4000)).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
  }, 600_000);
});
