// Practice nodes: qcow2 overlays on the golden disk, restored from the golden RAM snapshot.
// State per node lives in <lab>/nodes/<n>/node.json so the CLI, tests and the demo see the same nodes.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { makeIdentity, identityScript } from "./identity";
import { ensureImage, shapeVm, type LabImage } from "./image";
import { nodeDir, nodesDir } from "./paths";
import { allocatePort } from "./ports";
import { Qmp } from "./qmp";
import { sshExec, waitForSsh, type ExecResult } from "./ssh";
import { shapeOf, type ShapeName } from "./shapes";
import { describe, getNode, listNodes, qmpPath, readState, statePath, type NodeState, type PracticeNode } from "./state";
import { killVm, startVm } from "./vm";

/**
 * Start node n from the snapshot of its shape (default bookworm; a no-op if it already runs), as a
 * machine of its own: new SSH host keys, machine-id and hostname (lab/identity.ts). Builds the image
 * on first use.
 */
export async function startNode(n: number, opts: { image?: LabImage; shape?: ShapeName } = {}): Promise<PracticeNode> {
  const running = getNode(n);
  if (running) return running;
  const image = opts.image ?? (await ensureImage({ shape: opts.shape }));
  const name = `practice-${n}`;
  // Made on this machine while QEMU restores the VM: no time on the node's path (ssh-keygen of an
  // RSA key takes up to ~1.5 s here).
  const identity = makeIdentity(name);
  identity.catch(() => undefined);
  const dir = nodeDir(n);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const overlay = path.join(dir, "disk.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", image.golden, overlay]);
  const taken = listNodes().map((node) => node.port);
  const port = await allocatePort(n, { taken });
  const started = Date.now();
  const pid = await startVm({
    kernel: image.kernel,
    initrd: image.initrd,
    disk: overlay,
    sshPort: port,
    qmpSocket: qmpPath(n),
    pidFile: path.join(dir, "qemu.pid"),
    consoleLog: path.join(dir, "console.log"),
    ...shapeVm(shapeOf(image.shape), image.accel),
    incomingState: image.goldenState,
  });
  const state: NodeState = { n, pid, port, imageDir: image.dir, startedAt: new Date().toISOString(), shape: image.shape };
  fs.writeFileSync(statePath(n), JSON.stringify(state) + "\n");
  // A restored VM waits for `cont` (or autostarts when the stream ends); make sure it runs before
  // the first SSH attempt, or connections pile up against a paused guest.
  const qmp = await Qmp.connect(qmpPath(n));
  try {
    const status = await qmp.waitFor<{ status: string }>("query-status", (s) => s.status !== "inmigrate", 60_000);
    if (status.status !== "running") await qmp.execute("cont");
  } finally {
    qmp.close();
  }
  const restoring = describe(state, image);
  // The restored guest believes it is still the snapshot's moment: give it the host's clock, and its
  // own identity, with the first connection that gets through (the script is rebuilt per attempt so
  // the clock is current). Recorded before it is applied, so no node runs with keys the lab lost.
  const id = await identity;
  const own: NodeState = { ...state, hostKeys: id.hostKeys.map((k) => k.publicKey), machineId: id.machineId };
  fs.writeFileSync(statePath(n), JSON.stringify(own) + "\n");
  const timeout = image.arch === "arm64" ? 120_000 : 60_000;
  await waitForSsh(target(restoring), timeout, () => `sudo -n sh -c '${identityScript(id, Date.now() / 1000).replace(/'/g, `'\\''`)}'`).catch((error: Error) => {
    throw new Error(`${name}: giving the node its own host keys, machine-id and hostname failed: ${error.message}`);
  });
  const reachable = Date.now();
  const node = describe(own, image);
  // sshd re-executes on the reload: done when a new connection gets through and shows the new key.
  await waitForSsh({ ...target(node), hostKeys: node.hostKeys }, 30_000);
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `[lab] ${name} (${image.shape}) up on 127.0.0.1:${port} in ${secs(Date.now() - started)} s (restored with its identity ${secs(reachable - started)} s, new host key answering ${secs(Date.now() - reachable)} s)`,
  );
  return node;
}

export async function stopNode(n: number): Promise<void> {
  const state = readState(n);
  if (state) await killVm(state.pid);
  fs.rmSync(nodeDir(n), { recursive: true, force: true });
}

export async function stopAll(): Promise<void> {
  const dir = nodesDir();
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    const n = Number(entry);
    if (Number.isInteger(n)) await stopNode(n);
  }
}

/** Discard everything the node changed and restore it from the snapshot of the same shape. */
export async function resetNode(n: number): Promise<PracticeNode> {
  const shape = readState(n)?.shape;
  await stopNode(n);
  return startNode(n, { shape: shape ? shapeOf(shape).name : undefined });
}

/** Freeze the VM (its TCP peers see silence: a dropped connection, for fault-injection tests). */
export async function pauseNode(n: number): Promise<void> {
  const qmp = await Qmp.connect(qmpPath(n));
  try {
    await qmp.execute("stop");
  } finally {
    qmp.close();
  }
}

export async function resumeNode(n: number): Promise<void> {
  const qmp = await Qmp.connect(qmpPath(n));
  try {
    await qmp.execute("cont");
  } finally {
    qmp.close();
  }
}

export function target(node: PracticeNode) {
  return { host: node.host, port: node.port, username: node.user, privateKey: node.privateKey };
}

/** Run a command on the node as the key-auth user (for tests and fault injection). */
export function execOn(node: PracticeNode, command: string, timeoutMs?: number): Promise<ExecResult> {
  return sshExec(target(node), command, timeoutMs);
}

/** Reboot the guest and wait until it answers again (a real boot: ~30 s under TCG). */
export async function rebootNode(node: PracticeNode): Promise<void> {
  await execOn(node, "sudo -n systemctl reboot", 10_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 3000));
  await waitForSsh(target(node), 180_000);
}

/**
 * Regenerate the node's SSH host keys and machine-id INSIDE the guest, unknown to the lab: what a host
 * whose key changed behind the dashboard's back looks like (tests of the changed-key refusal). Nodes
 * already get their own known identity at start (startNode).
 */
export async function regenerateHostKeys(node: PracticeNode): Promise<void> {
  const r = await execOn(
    node,
    "sudo -n sh -c 'rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null && rm -f /etc/machine-id && systemd-machine-id-setup >/dev/null && systemctl reload ssh'",
  );
  if (r.code !== 0) throw new Error(`regenerating host keys failed: ${r.stderr}`);
}
