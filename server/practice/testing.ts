import "server-only";
import type { NodeSummary } from "@/lib/contracts/nodes";
import type { Db } from "../db";
import { getNodeByName, insertNode, listNodes } from "../nodes/repository";
import type { LabCommand, LabDriver, LabNodeInfo, RunOptions } from "./lab-runner";
import { createPracticeService, type PracticeConfig } from "./service";

// A lab in memory for unit tests of the practice and training services: nodes "run" when a start or
// reset completes; a test can hold a command open (`hold`) to see the operation in progress.

export class FakeLab implements LabDriver {
  nodes = new Map<number, LabNodeInfo>();
  commands: string[] = [];
  available = 16_000;
  fail: string | null = null;
  private held: { resolve: () => void } | null = null;
  private holding = false;

  running(): LabNodeInfo[] {
    return [...this.nodes.values()].sort((a, b) => a.n - b.n);
  }
  /** The next command waits for release(). */
  hold(): void {
    this.holding = true;
  }
  release(): void {
    this.held?.resolve();
    this.held = null;
  }
  bases = new Set<string>();
  async run(command: LabCommand, n: number, onProgress: (m: string) => void, opts: RunOptions = {}): Promise<void> {
    this.commands.push(`${command} ${n}${opts.base ? ` --base ${opts.base}` : ""}`);
    if (opts.base && !this.bases.has(opts.base)) throw new Error(`no base named ${opts.base}`);
    onProgress(`${command}: first phase`);
    if (this.holding) {
      this.holding = false;
      await new Promise<void>((resolve) => (this.held = { resolve }));
    }
    if (this.fail) throw new Error(this.fail);
    if (command === "stop") this.nodes.delete(n);
    else this.nodes.set(n, { n, name: `practice-${n}`, host: "127.0.0.1", port: 2200 + n, pid: 1000 + n, user: "prep" });
    onProgress(`${command}: done`);
  }
  async saveBase(n: number, name: string, onProgress: (m: string) => void): Promise<void> {
    this.commands.push(`save-base ${n} ${name}`);
    onProgress(`saving practice-${n} as base ${name}`);
    this.nodes.delete(n);
    this.bases = new Set([name]);
  }
  hasBase = (name: string) => this.bases.has(name);
  imageBuilt = () => true;
  availableMiB = () => this.available;
  residentMiB = () => 1600;
  perNodeMiB = () => 1792;
  nodeMemoryMiB = () => 768;
}

/** Register the fake lab's running nodes as practice nodes, as server/practice/sync.ts does for the real one. */
export function fakeSync(db: Db, lab: FakeLab): NodeSummary[] {
  for (const vm of lab.running()) {
    if (!getNodeByName(db, vm.name)) {
      insertNode(db, { name: vm.name, address: vm.host, port: vm.port, username: vm.user, authMethod: "key", privilege: "sudo-nopasswd", practice: true });
    }
  }
  return listNodes(db).filter((n) => n.practice);
}

export function fakePractice(db: Db, lab = new FakeLab(), config: PracticeConfig = { idleStopMinutes: 60 }, now?: () => number) {
  const forgotten: string[] = [];
  const service = createPracticeService({ db, lab, config: () => config, sync: () => fakeSync(db, lab), forget: (id) => forgotten.push(id), now });
  return { service, lab, forgotten, config };
}
