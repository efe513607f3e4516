// The real dashboard for the fleet benchmark: the built app (`npm start`'s scripts/start.mjs ->
// next start) on its own port and data directory, signed in as a bootstrap admin, measured from
// outside: resident memory of its process tree and its TCP connections to the SSH endpoints.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { ROOT } from "../lib";

export interface Dashboard {
  url: string;
  pid: number;
  cookie: string;
  api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startDashboard(dataDir: string, log: string, extraEnv: Record<string, string> = {}): Promise<Dashboard> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("no built dashboard: run `npx next build` first (the bench measures the production server)");
  const port = await freePort();
  const admin = { name: "bench-admin", password: randomBytes(18).toString("base64url") };
  const out = fs.openSync(log, "a");
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", NODEPREP_DATA_DIR: dataDir, NODEPREP_HOST: "127.0.0.1", PORT: String(port), NODEPREP_BOOTSTRAP_ADMIN: `${admin.name}:${admin.password}`, NODEPREP_PRACTICE_NODES: "0", ...extraEnv },
    stdio: ["ignore", out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dashboard exited with ${child.exitCode}: see ${log}`);
    try {
      if ((await fetch(`${url}/login`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the dashboard did not answer within 90 s: see ${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const login = await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json", origin: url }, body: JSON.stringify(admin) });
  const cookie = /nodeprep_session=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1];
  if (!cookie) throw new Error(`signing in to the bench dashboard failed: ${login.status} ${await login.text()}`);
  const api = async <T>(method: string, urlPath: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${urlPath}`, {
      method,
      headers: { origin: url, cookie: `nodeprep_session=${cookie}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return {
    url,
    pid: child.pid!,
    cookie,
    api,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

/** The process and its descendants (from /proc/<pid>/stat's ppid). */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, pp] of parent) if (pp === out[i]) out.push(pid);
  return out;
}

/** Resident memory of the process tree, in MiB (VmRSS summed). */
export function treeRssMiB(root: number): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

/** Established TCP connections of the process tree to these local ports (its SSH connections). */
export function connectionsTo(root: number, ports: ReadonlySet<number>): number {
  const inodes = new Set<string>();
  for (const pid of processTree(root)) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m) inodes.add(m[1]);
      }
    } catch {
      // gone
    }
  }
  let count = 0;
  for (const line of fs.readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== "01") continue; // 01 = ESTABLISHED
    const remotePort = parseInt(f[2].split(":")[1], 16);
    if (ports.has(remotePort) && inodes.has(f[9])) count++;
  }
  return count;
}

/** Samples `fn` every `everyMs` until stopped; returns the peak. */
export function peakSampler(fn: () => number, everyMs = 200): { stop(): number } {
  let peak = fn();
  const t = setInterval(() => {
    peak = Math.max(peak, fn());
  }, everyMs);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, fn());
    },
  };
}
