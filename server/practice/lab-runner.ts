import "server-only";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findBase } from "@/lab/bases";
import { imagesDir } from "@/lab/paths";
import { listNodes } from "@/lab/state";
import { chooseAccel, NODE_MEMORY_MB } from "@/lab/vm";

// The dashboard's way to the lab: start, stop and reset run the lab's own CLI in a child
// process (`lab/cli.ts <command> <n> --progress`), whose "@progress" lines are the operation's phases.
// A child process, not an import: the lab builds images and runs QEMU with blocking calls and finds
// its build scripts next to its sources, none of which belongs inside the web server's bundle. Reads
// (which nodes run, memory) are plain file reads from lab/state.

export type LabCommand = "start" | "stop" | "reset";

export interface RunOptions {
  /** Start or reset from this saved node (lab/bases.ts) instead of the golden snapshot. */
  base?: string;
}

export interface LabNodeInfo {
  n: number;
  name: string;
  host: string;
  port: number;
  pid: number;
  user: string;
}

/** What the practice service needs from the lab; unit tests give it a fake. */
export interface LabDriver {
  running(): LabNodeInfo[];
  run(command: LabCommand, n: number, onProgress: (message: string) => void, opts?: RunOptions): Promise<void>;
  /** Save running node n as a base (it stops); drop every other base. */
  saveBase(n: number, name: string, onProgress: (message: string) => void): Promise<void>;
  hasBase(name: string): boolean;
  /** Some practice-node image has been built on this machine (else a start builds one: minutes). */
  imageBuilt(): boolean;
  availableMiB(): number;
  /** What a running VM's QEMU process holds in memory, or null. */
  residentMiB(pid: number): number | null;
  /** What one more node is expected to take: its RAM plus QEMU's own (TCG keeps a large code cache). */
  perNodeMiB(): number;
  /** The RAM a node's VM is given. */
  nodeMemoryMiB(): number;
}

/** QEMU's TCG translation cache is 1 GiB by default: a TCG node holds about RAM + 1 GiB (measured ~1.6 GiB). */
const TCG_OVERHEAD_MIB = 1024;
const KVM_OVERHEAD_MIB = 128;

function readMeminfo(field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync("/proc/meminfo", "utf8"));
    return m ? Math.floor(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function residentMiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function tsxCli(): string {
  const cli = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  if (!fs.existsSync(cli)) throw new Error(`the lab needs tsx (${cli} is missing): run npm ci in ${process.cwd()}`);
  return cli;
}

/** Run `lab/cli.ts <args> --progress`; rejects with the lab's last error line. */
function runCli(args: string[], onProgress: (message: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli(), path.join(process.cwd(), "lab", "cli.ts"), ...args, "--progress"], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    let pending = "";
    const onLine = (line: string) => {
      if (line.startsWith("@progress ")) onProgress(line.slice("@progress ".length));
      else if (line.startsWith("[lab] ")) onProgress(line.slice("[lab] ".length));
    };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(onLine);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (tail = (tail + chunk).slice(-2000)));
    child.once("error", reject);
    child.once("close", (code) => {
      if (pending) onLine(pending);
      if (code === 0) return resolve();
      const last = tail.trim().split("\n").filter(Boolean).at(-1) ?? `exit ${code}`;
      reject(new Error(last.replace(/^lab: /, "")));
    });
  });
}

export const realLab: LabDriver = {
  running: () => listNodes().map((n) => ({ n: n.n, name: n.name, host: n.host, port: n.port, pid: n.pid, user: n.user })),
  run: (command, n, onProgress, opts = {}) => runCli([command, String(n), ...(opts.base ? ["--base", opts.base] : [])], onProgress),
  saveBase: async (n, name, onProgress) => {
    await runCli(["save-base", String(n), name], onProgress);
    await runCli(["drop-bases", name], onProgress);
  },
  hasBase: (name) => findBase(name) !== null,
  imageBuilt: () => {
    try {
      return fs.readdirSync(imagesDir()).some((d) => fs.existsSync(path.join(imagesDir(), d, "COMPLETE")));
    } catch {
      return false;
    }
  },
  availableMiB: () => readMeminfo("MemAvailable") ?? 0,
  residentMiB,
  perNodeMiB: () => NODE_MEMORY_MB + (chooseAccel() === "kvm" ? KVM_OVERHEAD_MIB : TCG_OVERHEAD_MIB),
  nodeMemoryMiB: () => NODE_MEMORY_MB,
};
