// Practice nodes: qcow2 overlays on the golden disk, restored from the golden RAM snapshot.
// State per node lives in <lab>/nodes/<n>/node.json so the CLI, tests and the demo see the same nodes.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findBase } from "./bases";
import { makeIdentity, identityScript } from "./identity";
import { ensureImage, shapeVm, type LabImage } from "./image";
import { nodeDir, nodesDir } from "./paths";
import { allocatePort } from "./ports";
import { Qmp } from "./qmp";
import { sshExec, waitForSsh, type ExecResult } from "./ssh";
import { shapeOf, type ShapeName } from "./shapes";
import { describe, getNode, listNodes, qmpPath, readState, statePath, type NodeState, type PracticeNode } from "./state";
import { killVm, startVm } from "./vm";

/** Phases as they happen, for a caller that shows progress (the dashboard's Practice page). */
export type LabProgress = (message: string) => void;

/**
 * Start node n from the snapshot of its shape (default bookworm; a no-op if it already runs), as a
 * machine of its own: new SSH host keys, machine-id and hostname (lab/identity.ts). Builds the image
 * on first use. With `base`, from that saved node instead of the golden snapshot (lab/bases.ts).
 */
export async function startNode(
  n: number,
  opts: { image?: LabImage; shape?: ShapeName; onProgress?: LabProgress; base?: string } = {},
): Promise<PracticeNode> {
  const running = getNode(n);
  if (running) return running;
  const progress = opts.onProgress ?? (() => undefined);
  if (!opts.image) progress("finding the practice-node image");
  const image = opts.image ?? (await ensureImage({ shape: opts.shape }));
  const base = opts.base === undefined ? null : findBase(opts.base);
  if (opts.base !== undefined && !base) throw new Error(`no base named ${opts.base}: save one with \`npm run lab -- save-base N ${opts.base}\``);
  if (base && path.resolve(base.imageDir) !== path.resolve(image.dir)) throw new Error(`base ${base.name} was saved from another image (${base.imageDir}): save it again`);
  const name = `practice-${n}`;
  // Made on this machine while QEMU restores the VM: no time on the node's path (ssh-keygen of an
  // RSA key takes up to ~1.5 s here).
  const identity = makeIdentity(name);
  identity.catch(() => undefined);
  progress(base ? `creating the node's disk on base ${base.name}` : "creating the node's disk on the golden image");
  const dir = nodeDir(n);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const overlay = path.join(dir, "disk.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base?.disk ?? image.golden, overlay]);
  const taken = listNodes().map((node) => node.port);
  const port = await allocatePort(n, { taken });
  const started = Date.now();
  progress(`restoring the snapshot (QEMU, SSH on 127.0.0.1:${port})`);
  const pid = await startVm({
    kernel: image.kernel,
    initrd: image.initrd,
    disk: overlay,
    sshPort: port,
    qmpSocket: qmpPath(n),
    pidFile: path.join(dir, "qemu.pid"),
    consoleLog: path.join(dir, "console.log"),
    ...shapeVm(shapeOf(image.shape), image.accel),
    incomingState: base?.state ?? image.goldenState,
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
  progress("waiting for SSH, then setting the clock, host keys, machine-id and host name");
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

export async function stopNode(n: number, opts: { onProgress?: LabProgress } = {}): Promise<void> {
  const state = readState(n);
  if (state) {
    opts.onProgress?.("stopping the VM");
    await killVm(state.pid);
  }
  opts.onProgress?.("discarding its disk");
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

/** Discard everything the node changed and restore it from the snapshot of the same shape (or from `base`). */
export async function resetNode(n: number, opts: { onProgress?: LabProgress; base?: string } = {}): Promise<PracticeNode> {
  const shape = readState(n)?.shape;
  await stopNode(n, opts);
  return startNode(n, { ...opts, shape: shape ? shapeOf(shape).name : undefined });
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
  // A boot under TCG takes 30-140 s here, longer while other VMs share the cores: room to spare.
  await waitForSsh(target(node), 300_000);
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
