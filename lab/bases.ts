// Bases: a running practice node saved as a RAM+disk snapshot of its own, to start other nodes from
// in seconds, the way every node starts from the golden snapshot. The training scenarios that need the
// container runtime start from a node on which the wizard installed it once, instead of
// installing it again (a minute under TCG) every time. A base lives beside the running nodes
// (<state>/bases/<name>/) and refers to the image it was made from; its disk is an overlay on that
// image's golden disk.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { nodeDir, nodesDir } from "./paths";
import { Qmp } from "./qmp";
import { qmpPath, readState } from "./state";
import { killVm } from "./vm";

export interface LabBase {
  name: string;
  dir: string;
  disk: string;
  state: string;
  imageDir: string;
}

const Meta = z.object({ imageDir: z.string(), createdAt: z.string(), from: z.number().int() });

export const basesDir = () => path.join(nodesDir(), "bases");
const SAFE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function checkName(name: string): string {
  if (!SAFE.test(name)) throw new Error(`not a base name (lowercase letters, digits, . _ -): ${name}`);
  return name;
}

export function findBase(name: string): LabBase | null {
  const dir = path.join(basesDir(), checkName(name));
  try {
    const meta = Meta.parse(JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")));
    return { name, dir, disk: path.join(dir, "disk.qcow2"), state: path.join(dir, "memory.state"), imageDir: meta.imageDir };
  } catch {
    return null;
  }
}

/**
 * Save running node n as base `name`, as the golden snapshot is taken (QMP stop, migrate to a file,
 * quit), then keep its disk. The node is stopped afterwards: start it (or others) from the base.
 */
export async function saveBase(n: number, name: string, opts: { onProgress?: (message: string) => void } = {}): Promise<LabBase> {
  const progress = opts.onProgress ?? (() => undefined);
  const node = readState(n);
  if (!node) throw new Error(`practice-${n} is not running: nothing to save as base ${name}`);
  const dir = path.join(basesDir(), checkName(name));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const statePath = path.join(dir, "memory.state");
  progress(`saving practice-${n} as base ${name}: its memory`);
  const qmp = await Qmp.connect(qmpPath(n));
  try {
    await qmp.execute("stop");
    await qmp.execute("migrate", { uri: `exec:cat > '${statePath.replace(/'/g, `'\\''`)}'` });
    const done = await qmp.waitFor<{ status?: string }>("query-migrate", (s) => s.status === "completed" || s.status === "failed", 120_000);
    if (done.status !== "completed") throw new Error(`saving base ${name} failed: ${JSON.stringify(done)}`);
    // Quitting after a completed migration leaves the disk consistent (the golden snapshot relies on it too).
    await qmp.execute("quit").catch(() => undefined);
  } finally {
    qmp.close();
  }
  await killVm(node.pid, 15_000);
  progress(`saving practice-${n} as base ${name}: its disk`);
  fs.copyFileSync(path.join(nodeDir(n), "disk.qcow2"), path.join(dir, "disk.qcow2"));
  fs.chmodSync(path.join(dir, "disk.qcow2"), 0o444);
  fs.writeFileSync(path.join(dir, "meta.json"), JSON.stringify({ imageDir: node.imageDir, createdAt: new Date().toISOString(), from: n }) + "\n");
  fs.rmSync(nodeDir(n), { recursive: true, force: true });
  return findBase(name)!;
}

/** Remove every base but `keep` (a base is a few hundred MB). */
export function dropBases(keep: readonly string[] = []): string[] {
  if (!fs.existsSync(basesDir())) return [];
  const dropped = fs.readdirSync(basesDir()).filter((b) => !keep.includes(b));
  for (const b of dropped) fs.rmSync(path.join(basesDir(), b), { recursive: true, force: true });
  return dropped;
}
