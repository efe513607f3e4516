// The trust rules (one tracked path, askpass sudo, strict inputs) on a real practice node, through
// the real engine, tracked path, SSH layer, staging and
// SQLite. The node is registered as user `ops`, whose sudo asks a password (so every root command goes
// through the askpass wrapper), on one node, in this order:
//   1. a disk too full to stage containerd: a clear error, /usr/local untouched, nothing left in /var/tmp;
//   2. the host's own record against the audit log: sudo's I/O log on for ops, then facts, a Check of
//      all 8 steps, staging from a failing mirror, a cancelled Apply, an Apply of all 8 steps (SFTP
//      uploads), a health scan; every root command in the sudo log has its audit row;
//   3. the dashboard killed in the middle of an Apply (a process of its own), started again: the run is
//      interrupted on the step it was on, the node is free, the audit says so, a re-run finishes;
//   4. a re-trusted host key and a changed address end the pooled connection and its kept shells at once.
// Practice node 71 (71-79 are this file's).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage, execOn, startNode, stopNode, type LabImage, type PracticeNode } from "../../lab";
import type { RunEvent } from "../../lib/contracts/runs";

const N = 71;
const ALL = ["kernel-modules", "sysctl", "containerd", "runc", "cni-plugins", "containerd-service", "cgroup-driver", "kubelet-cgroup-driver"];
let node: PracticeNode;
let image: LabImage;
let dataDir: string;
let nodeId: string;
type Db = import("../../server/db").Db;
let db: Db;
let m: {
  engine: typeof import("../../server/runs").engine;
  subscribe: typeof import("../../server/runs/bus").subscribe;
  repo: typeof import("../../server/runs/repository");
  nodes: typeof import("../../server/nodes/service");
  contact: typeof import("../../server/hosts/contact");
  nodeRepo: typeof import("../../server/nodes/repository");
  hosts: typeof import("../../server/hosts");
  health: typeof import("../../server/health").health;
  ssh: typeof import("../../server/ssh");
  scriptHash: typeof import("../../server/audit/record").scriptHash;
};

const sh = async (command: string, timeoutMs?: number) => {
  const r = await execOn(node, command, timeoutMs);
  if (r.code !== 0) throw new Error(`${command}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const usrLocal = () => sh("sudo -n find /usr/local -printf '%p %s %m %T@\\n' | sort");
const staged = () => sh("sudo -n find /var/tmp -maxdepth 1 -name 'nodeprep-artifact.*'");

/** Wait for a condition with a deadline (never a fixed sleep). */
async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "np-trust-it-"));
  process.env.NODEPREP_DATA_DIR = dataDir;
  image = await ensureImage();
  process.env.NODEPREP_LOCAL_RELEASES = image.artifactsDir;
  node = await startNode(N, { image });
  db = (await import("../../server/db")).db();
  m = {
    engine: (await import("../../server/runs")).engine,
    subscribe: (await import("../../server/runs/bus")).subscribe,
    repo: await import("../../server/runs/repository"),
    nodes: await import("../../server/nodes/service"),
    contact: await import("../../server/hosts/contact"),
    nodeRepo: await import("../../server/nodes/repository"),
    hosts: await import("../../server/hosts"),
    health: (await import("../../server/health")).health,
    ssh: await import("../../server/ssh"),
    scriptHash: (await import("../../server/audit/record")).scriptHash,
  };
  const { pinnedKeyOf } = await import("../../server/practice/sync");
  const { password } = node.sudoPasswordUser;
  const created = m.nodes.createNode(
    db,
    { name: "trust-71", address: node.host, port: node.port, username: "ops", auth: { method: "password", password }, privilege: { kind: "sudo-password", password } },
    "it",
  );
  nodeId = created.id;
  m.nodeRepo.pinHostKey(db, nodeId, pinnedKeyOf(node.hostKeys)!, "practice-image", "lab image");
});

afterAll(async () => {
  m?.ssh.closeAllConnections();
  await stopNode(N);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function run(stepIds: string[], mode: "apply" | "check", opts: { actor?: string; delivery?: import("../../lib/contracts/artifacts").Delivery; onEvent?: (e: RunEvent, runId: string) => void } = {}) {
  const { runId, done } = m.engine().start({ stepIds, nodeIds: [nodeId], mode, actor: opts.actor ?? "it", delivery: opts.delivery });
  const off = opts.onEvent ? m.subscribe(runId, (e) => opts.onEvent!(e, runId)) : () => undefined;
  await done;
  off();
  return m.repo.getRun(db, runId)!;
}

interface AuditRow {
  seq: number;
  actor: string;
  action: string;
  node_id: string | null;
  run_id: string | null;
  scan_id: string | null;
  command: string | null;
  script_hash: string | null;
  exit_code: number | null;
  detail: string | null;
}
const auditRows = (where = "1 = 1", ...args: unknown[]) => db.prepare(`SELECT * FROM audit_log WHERE ${where} ORDER BY seq`).all(...args) as AuditRow[];
const detail = (r: AuditRow) => (r.detail ? JSON.parse(r.detail) : {});

describe("the tracked path on a practice node", () => {
  it("a disk too full to stage on: names host, path and space needed; /usr/local untouched; nothing left in /var/tmp", async () => {
    await sh("sudo -n mount -t tmpfs -o size=4m,mode=1777 nodeprep-full /var/tmp");
    try {
      const before = await usrLocal();
      const r = await run(["containerd"], "apply", { delivery: { kind: "cache" } });
      expect(r.status).toBe("failed");
      const size = fs.statSync(path.join(image.artifactsDir, image.releases.containerd.file)).size;
      expect(r.nodes[0].message).toMatch(
        new RegExp(
          `^containerd: trust-71 has no room for containerd-1\\.6\\.20-linux-amd64\\.tar\\.gz in /var/tmp/nodeprep-artifact\\.\\w+: it needs ${(size / 1048576).toFixed(1).replace(".", "\\.")} MiB, and \\d\\.\\d MiB is free there\\.`,
        ),
      );
      expect(await usrLocal()).toBe(before);
      expect(await staged()).toBe("");
      // The check of free space is a command like any other: in the audit log.
      expect(auditRows("run_id = ? AND command LIKE 'df -Pk %'", r.id)).toHaveLength(1);
    } finally {
      await sh("sudo -n umount /var/tmp");
    }
  });

  it("every root command in the node's sudo log has its audit row (facts, Check, failing mirror, cancel, Apply of all 8 steps, scan)", async () => {
    // sudo's I/O log for ops (the dashboard's user here): each sudo session's argv and its stdin, which
    // for a kept root shell is every command fed to it. The test's own commands run as prep: not logged.
    await sh(
      "printf 'Defaults:ops log_input, !compress_io, iolog_dir=/var/log/sudo-io\\n' | sudo -n tee /etc/sudoers.d/zz-nodeprep-iolog >/dev/null && sudo -n chmod 440 /etc/sudoers.d/zz-nodeprep-iolog && sudo -n visudo -cq",
    );
    m.ssh.closeAllConnections(); // kept shells opened before the log was on would hide their input
    const firstSeq = (db.prepare("SELECT max(seq) FROM audit_log").pluck().get() as number) ?? 0;

    expect((await m.contact.testConnection(db, nodeId, "alice")).ok).toBe(true);
    // On a fresh node a Check plans the first steps and stops where one needs another done first.
    const check = await run(ALL, "check", { actor: "bob" });
    expect(check.nodes[0].status).toBe("blocked");
    const mirror = await run(["containerd"], "apply", { actor: "bob", delivery: { kind: "mirror", url: "http://127.0.0.1:9/releases/" } });
    expect(mirror.nodes[0].message).toContain("could not download http://127.0.0.1:9/releases/containerd-1.6.20-linux-amd64.tar.gz with curl");
    const cancelled = await run(["containerd"], "apply", {
      actor: "bob",
      delivery: { kind: "cache" },
      onEvent: (e, runId) => {
        // Once this line is out the upload starts, in the same turn of the event loop: cancel just after.
        if (e.type === "output" && e.line.startsWith("uploading containerd")) setImmediate(() => m.engine().cancel(runId, "carol"));
      },
    });
    expect(cancelled.status).toBe("cancelled");
    const applied = await run(ALL, "apply", { actor: "bob", delivery: { kind: "cache" } });
    expect(applied.status, applied.nodes[0].message ?? "").toBe("succeeded");
    const scan = m.health().startScan({ trigger: "manual", actor: "dave", nodeIds: [nodeId] });
    await scan.done;
    m.ssh.closeAllConnections(); // end the kept shells, so their logs are complete

    // What the host says ran as root for ops.
    const sessions = JSON.parse(
      await sh(
        `sudo -n python3 -c 'import json,os,glob
out=[]
for d in sorted(glob.glob("/var/log/sudo-io/[0-9]*/[0-9]*/[0-9]*")):
    j=json.load(open(d+"/log.json"))
    if j.get("submituser")!="ops": continue
    out.append({"argv":j["runargv"],"stdin":open(d+"/stdin",errors="replace").read()})
print(json.dumps(out))'`,
      ),
    ) as { argv: string[]; stdin: string }[];
    const rootCommands: string[] = [];
    for (const s of sessions) {
      const command = s.argv[4]; // /bin/sh -c <the wrapper's marker script> nodeprep <command>
      expect(s.argv.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
      if (command === "exec /bin/sh -s") {
        // A kept root shell: each command arrives as `( eval '<command>' ) </dev/null; printf ...`.
        for (const [, quoted] of s.stdin.matchAll(/\( eval ('(?:[^']|'\\'')*'|[A-Za-z0-9_@%+=:,./-]+) \) <\/dev\/null; printf/g)) {
          rootCommands.push(quoted.startsWith("'") ? quoted.slice(1, -1).replaceAll("'\\''", "'") : quoted);
        }
      } else rootCommands.push(command);
    }
    expect(sessions.length).toBeGreaterThan(5);

    // What the audit log says ran: plain commands as run; scripts as their nonce line + stored text.
    const rows = auditRows("seq > ? AND node_id = ? AND action = 'command'", firstSeq, nodeId);
    const scripts = new Map((db.prepare("SELECT hash, text FROM audit_scripts").all() as { hash: string; text: string }[]).map((s) => [s.hash, s.text]));
    const audited = new Set(rows.map((r) => (r.script_hash ? `${detail(r).preamble ?? ""}${scripts.get(r.script_hash)}` : r.command!)));
    const missing = rootCommands.filter((c) => !audited.has(c));
    expect(missing, "root commands in the host's sudo log without an audit row").toEqual([]);
    expect(rootCommands.length).toBeGreaterThan(30);

    // And the rows say who, for what, and how it ended.
    const byRun = (runId: string) => auditRows("run_id = ?", runId);
    expect(byRun(applied.id).filter((r) => r.action === "command").every((r) => r.actor === "bob" && r.exit_code !== null)).toBe(true);
    expect(byRun(applied.id).filter((r) => r.action === "upload").map((r) => r.command)).toEqual([
      expect.stringMatching(/^sftp put containerd-1\.6\.20-linux-amd64\.tar\.gz \/var\/tmp\/nodeprep-artifact\.\w+\/containerd-1\.6\.20-linux-amd64\.tar\.gz$/),
      expect.stringMatching(/^sftp put runc\.amd64 /),
      expect.stringMatching(/^sftp put cni-plugins-linux-amd64-v1\.1\.1\.tgz /),
    ]);
    const curl = byRun(mirror.id).find((r) => r.command?.startsWith("curl "))!;
    expect(curl.exit_code).not.toBe(0);
    expect(byRun(mirror.id).some((r) => r.command?.startsWith("tar "))).toBe(false);
    const cancel = byRun(cancelled.id).find((r) => r.action === "run-cancelled")!;
    expect(cancel.actor).toBe("carol");
    expect(detail(cancel).stopped).toEqual([expect.objectContaining({ nodeId, node: "trust-71", command: expect.stringMatching(/^sftp put containerd/) })]);
    const scanRows = auditRows("scan_id = ?", scan.scanId);
    expect(scanRows.map((r) => [r.actor, r.action, r.exit_code])).toEqual([["dave", "command", 0]]);
    expect(detail(scanRows[0]).probes.length).toBeGreaterThan(10);
    const facts = auditRows("seq > ? AND actor = 'alice' AND action = 'command'", firstSeq);
    expect(facts.map((r) => r.command)).toEqual(["id -un", expect.stringMatching(/^facts \(one script/)]);
  });

  it("the dashboard killed mid-Apply: started again, the run is interrupted on its step, the node is free, the audit says so, a re-run finishes", async () => {
    await sh("sudo -n rm -f /usr/local/sbin/runc");
    const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", path.resolve("test/integration/fixtures/dashboard-process.mts"), nodeId, "runc"], {
      env: { ...process.env, NODEPREP_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    let runId = "";
    try {
      // Kill it while it uploads runc to the node (an SFTP transfer in flight, the step in its apply phase).
      for await (const line of readline.createInterface({ input: child.stdout })) {
        if (!line.startsWith("{")) continue; // start-up's own messages
        const e = JSON.parse(line) as { type: string; runId?: string; line?: string };
        if (e.type === "child-run") runId = e.runId!;
        if (e.type === "output" && e.line?.startsWith("uploading runc")) break;
        if (e.type === "run-end") throw new Error(`the run ended before it could be interrupted: ${line}\n${stderr}`);
      }
    } finally {
      child.kill("SIGKILL");
    }
    expect(await exited, stderr).toBe("SIGKILL");
    expect(m.repo.getRun(db, runId)!.status).toBe("running"); // as the killed process left it

    const { startup } = await import("../../server/startup");
    await startup();
    const r = m.repo.getRun(db, runId)!;
    expect(r.status).toBe("interrupted");
    expect(r.nodes[0]).toMatchObject({ status: "interrupted", message: "the dashboard stopped on step runc (applying the plan); nothing more was run. Check the host, then run the step again" });
    const interrupted = auditRows("run_id = ? AND action = 'run-interrupted'", runId);
    expect(interrupted.map((a) => [a.actor, detail(a).startedBy, detail(a).nodes])).toEqual([["system", "erin", [{ nodeId, node: "trust-71", stepId: "runc", phase: "apply" }]]]);
    // The transfer the dashboard was in the middle of is in the audit log, saying it was cut off.
    const cut = auditRows("run_id = ? AND action = 'upload'", runId);
    expect(cut).toHaveLength(1);
    expect(cut[0].command).toMatch(/^sftp put runc\.amd64 /);
    expect(detail(cut[0]).interrupted).toMatch(/^the dashboard stopped while this ran/);
    // The node is free: a new Apply is accepted, and finishes the job.
    const again = await run(["runc"], "apply", { delivery: { kind: "cache" } });
    expect(again.status, again.nodes[0].message ?? "").toBe("succeeded");
    expect(await sh("sudo -n sha256sum /usr/local/sbin/runc")).toBe(`${image.releases.runc.sha256}  /usr/local/sbin/runc\n`);
  });

  it("a node behind a jump host: its commands are audited on it, naming the jump host, and the tunnel on the jump host", async () => {
    // The node is its own bastion (practice nodes cannot reach each other): the target is 127.0.0.1:22 as
    // the node sees it, reached through a TCP channel of trust-71's connection.
    const { password } = node.sudoPasswordUser;
    const behind = m.nodes.createNode(
      db,
      { name: "behind-71", address: "127.0.0.1", port: 22, username: "ops", auth: { method: "password", password }, privilege: { kind: "sudo-password", password }, jumpNodeId: nodeId },
      "it",
    );
    m.nodeRepo.pinHostKey(db, behind.id, m.nodeRepo.pinnedKey(m.nodeRepo.getNodeRow(db, nodeId)!)!, "operator", "it");
    const firstSeq = db.prepare("SELECT max(seq) FROM audit_log").pluck().get() as number;
    expect((await m.contact.testConnection(db, behind.id, "frank")).ok).toBe(true);
    const rows = auditRows("seq > ?", firstSeq);
    expect(rows.map((r) => [r.actor, r.action, r.node_id === nodeId ? "jump" : r.node_id === behind.id ? "behind" : r.node_id])).toEqual([
      ["frank", "jump-tunnel", "jump"],
      ["frank", "command", "behind"], // id -un as root
      ["frank", "command", "behind"], // facts
    ]);
    expect(rows[0].command).toBe("direct-tcpip to 127.0.0.1:22 (for behind-71)");
    expect(rows.slice(1).every((r) => detail(r).via === "trust-71")).toBe(true);
    m.nodes.removeNode(db, behind.id, "it");
  });

  it("a re-trusted host key or a changed address ends the pooled connection and its kept shells at once", async () => {
    // ops's sshd processes, one per SSH connection ("sshd: ops@notty"). Only the ones our connection
    // made are watched: a session of the process killed above may linger on the node (user-mode
    // networking does not always pass the dead client's reset on), and is none of this test's business.
    const opsSessions = async () =>
      (await sh("ps -u ops -o pid=,args= || true"))
        .split("\n")
        .filter((l) => / sshd: ops@/.test(l))
        .map((l) => Number(l.trim().split(/\s+/)[0]));
    m.ssh.closeAllConnections();
    const open = async () => {
      const before = new Set(await opsSessions());
      const host = m.hosts.openHost(db, nodeId, { actor: "it" });
      await host.exec("id -u", { keepShell: true, asRoot: true });
      await host.exec("id -u", { keepShell: true });
      const ours = await until("our session on the host", async () => (await opsSessions()).filter((p) => !before.has(p)), (s) => s.length >= 1);
      return { host, ours, before };
    };
    const ended = (ours: number[]) => until("our sessions on the host", async () => (await opsSessions()).filter((p) => ours.includes(p)), (s) => s.length === 0);

    // An admin replaces the key (here: with the one the host offers, as after a reinstall).
    let s = await open();
    const row = m.nodeRepo.getNodeRow(db, nodeId)!;
    m.nodeRepo.recordOfferedKey(db, nodeId, m.nodeRepo.pinnedKey(row));
    m.nodes.decideHostKey(db, nodeId, { action: "replace", fingerprint: m.nodeRepo.getNode(db, nodeId)!.hostKey!.fingerprint }, "alice");
    await ended(s.ours);
    await expect(s.host.exec("id -u", { keepShell: true })).rejects.toThrow(/settings of trust-71 .* changed while this was running/);
    expect((await opsSessions()).filter((p) => !s.before.has(p)), "the old handle reconnected").toEqual([]);

    // The address changes (here: the port, to one nothing listens on).
    s = await open();
    const node0 = m.nodeRepo.getNode(db, nodeId)!;
    const input = { name: node0.name, address: node0.address, port: 1, username: "ops", auth: { method: "password" as const }, privilege: { kind: "sudo-password" as const } };
    m.nodes.updateNode(db, nodeId, input, "alice");
    await ended(s.ours);
    await expect(s.host.exec("true")).rejects.toThrow(/settings of trust-71 .* changed/);
    expect((await opsSessions()).filter((p) => !s.before.has(p)), "the old handle reconnected").toEqual([]);
  });
});
