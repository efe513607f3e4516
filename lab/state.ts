// Running practice nodes as recorded on disk (<state>/<n>/node.json). Pure reads: the dashboard's
// practice-node sync uses this without pulling in QEMU or image-building code.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { nodeDir, nodesDir } from "./paths";

export const LAB_USER = "prep"; // key auth, passwordless sudo
export const LAB_SUDO_PASSWORD_USER = { username: "ops", password: "ops-sudo-pw" }; // sudo asks for a password
// (not a word that appears in ordinary output, such as the host name: the dashboard redacts every
// occurrence of a node's secrets from what it shows)

export const NodeState = z.object({
  n: z.number().int(),
  pid: z.number().int(),
  port: z.number().int(),
  imageDir: z.string(),
  startedAt: z.string(),
  /** The node's shape (lab/shapes.ts); absent in state written before shapes existed: bookworm. */
  shape: z.string().optional(),
  /** The host keys (.pub lines) the lab gave this node at start; absent: the image's shared keys. */
  hostKeys: z.array(z.string()).optional(),
  /** The machine-id the lab gave this node at start. */
  machineId: z.string().optional(),
});
export type NodeState = z.infer<typeof NodeState>;

export interface PracticeNode {
  n: number;
  name: string;
  host: string;
  port: number;
  /** Key auth, passwordless sudo. */
  user: string;
  privateKey: string;
  privateKeyPath: string;
  /** A second account whose sudo asks for a password (and that accepts password auth). */
  sudoPasswordUser: { username: string; password: string };
  pid: number;
  /** The shape it runs (bookworm unless started with another). */
  shape: string;
  /** The SSH host keys it presents (.pub lines): its own, made by the lab when it started. */
  hostKeys: string[];
  /** Its /etc/machine-id (null for a node started before the lab gave nodes their own). */
  machineId: string | null;
}

export const statePath = (n: number) => path.join(nodeDir(n), "node.json");
export const qmpPath = (n: number) => path.join(nodeDir(n), "qmp.sock");

export function readState(n: number): NodeState | null {
  try {
    const state = NodeState.parse(JSON.parse(fs.readFileSync(statePath(n), "utf8")));
    return isAlive(state.pid) ? state : null;
  } catch {
    return null;
  }
}

export function describe(state: NodeState, image: { privateKeyPath: string }): PracticeNode {
  const imageDir = path.dirname(image.privateKeyPath);
  return {
    n: state.n,
    name: `practice-${state.n}`,
    host: "127.0.0.1",
    port: state.port,
    user: LAB_USER,
    privateKeyPath: image.privateKeyPath,
    privateKey: fs.readFileSync(image.privateKeyPath, "utf8"),
    sudoPasswordUser: LAB_SUDO_PASSWORD_USER,
    pid: state.pid,
    shape: state.shape ?? "bookworm",
    hostKeys: state.hostKeys ?? imageHostKeys(imageDir),
    machineId: state.machineId ?? null,
  };
}

export function listNodes(): PracticeNode[] {
  const dir = nodesDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map(Number)
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => a - b)
    .flatMap((n) => {
      const state = readState(n);
      return state ? [describe(state, { privateKeyPath: path.join(state.imageDir, "id_ed25519") })] : [];
    });
}

export function getNode(n: number): PracticeNode | null {
  const state = readState(n);
  return state ? describe(state, { privateKeyPath: path.join(state.imageDir, "id_ed25519") }) : null;
}


export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The host keys the image was built with: what a node restored from it presents until the lab gives it
 * its own (nodes started by this lab present `PracticeNode.hostKeys`).
 */
export function imageHostKeys(imageDir: string): string[] {
  const dir = path.join(imageDir, "host-keys");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), "utf8").trim());
}
