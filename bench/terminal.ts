// npm run bench -- terminal [--keys 200]
//
// The terminal in the browser, on one practice node (76), against its floor in the same run:
//   - keystroke-to-echo latency: one character sent, timed until the shell's echo of it comes back.
//     Through the dashboard: a WebSocket client in node speaking the browser's protocol to the built
//     dashboard (scripts/start.mjs -> server/terminals -> tracked path -> pooled ssh2 shell with a pty).
//     Chromium and xterm.js are left out: their share (a keydown event, a canvas repaint) is the same
//     with any transport, and Chromium under Playwright would cost more than what is measured. Floor:
//     the same keystrokes straight into an ssh2 shell channel with a pty on the same node. The two are
//     interleaved in blocks of 20 so machine load hits both alike. p50 and p95 over --keys keystrokes
//     each; target p95 ratio <= 1.5x.
//   - throughput: `seq 1 200000` (about 1.3 MB of output) until its last line, both paths.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ClientChannel } from "ssh2";
import WebSocket from "ws";
import { startDashboard } from "./fleet/dashboard";
import { arg, connectBare, round, writeResults } from "./lib";

const NODE_N = 76;
const BLOCK = 20;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** A byte pipe to a shell with a pty: what both paths look like to the measurement. */
interface Pipe {
  send(data: string): void;
  /** Resolves when the output since the call contains `needle`. */
  until(needle: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

function pipeOver(onData: (l: (chunk: Buffer) => void) => void, send: (data: string) => void, close: () => void): Pipe {
  let seen = "";
  let waiter: { needle: string; resolve: () => void } | null = null;
  onData((chunk) => {
    seen += chunk.toString("utf8");
    if (seen.length > 4096 && !waiter) seen = seen.slice(-4096);
    if (waiter && seen.includes(waiter.needle)) {
      const w = waiter;
      waiter = null;
      w.resolve();
    }
  });
  return {
    send,
    until(needle, timeoutMs = 60_000) {
      seen = "";
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(needle)} within ${timeoutMs} ms`)), timeoutMs);
        waiter = { needle, resolve: () => (clearTimeout(timer), resolve()) };
      });
    },
    close,
  };
}

async function dashboardPipe(url: string, cookie: string, nodeId: string): Promise<Pipe> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/api/terminals/socket?node=${nodeId}&cols=120&rows=40`, { headers: { cookie: `nodeprep_session=${cookie}`, origin: url } });
  const listeners: ((b: Buffer) => void)[] = [];
  ws.on("message", (data, isBinary) => isBinary && listeners.forEach((l) => l(data as Buffer)));
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject).once("unexpected-response", (_q, r) => reject(new Error(`socket refused: ${r.statusCode}`))));
  return pipeOver((l) => listeners.push(l), (data) => ws.send(JSON.stringify({ type: "input", data })), () => ws.close());
}

async function barePipe(node: { host: string; port: number; user: string; privateKey: string }): Promise<Pipe> {
  const client = await connectBare(node);
  const channel = await new Promise<ClientChannel>((resolve, reject) => client.shell({ term: "xterm-256color", cols: 120, rows: 40 }, (e, ch) => (e ? reject(e) : resolve(ch))));
  return pipeOver((l) => channel.on("data", l), (data) => channel.write(data), () => client.end());
}

/** The prompt is there and the line editor idle: a marker only the shell's arithmetic prints. */
async function ready(p: Pipe) {
  const n = 4000 + Math.floor(Math.random() * 1000);
  const wait = p.until(`mark-${n + 1}`);
  p.send(`echo mark-$((${n} + 1))\r`);
  await wait;
}

async function keystrokes(p: Pipe, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const key = "abcdefghijklmnopqrstuvwxyz"[i % 26];
    const wait = p.until(key, 10_000);
    const t0 = performance.now();
    p.send(key);
    await wait;
    out.push(performance.now() - t0);
  }
  // Clear the typed line (Ctrl-U) so the shell never runs it.
  p.send("\u0015");
  await ready(p);
  return out;
}

async function throughput(p: Pipe): Promise<number> {
  const wait = p.until("\n200000\r\n", 120_000);
  const t0 = performance.now();
  p.send("seq 1 200000\r");
  await wait;
  const ms = performance.now() - t0;
  await ready(p);
  return ms;
}

export async function main(args: string[]) {
  const keys = Number(arg(args, "--keys") ?? "200");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-bench-terminal-"));
  process.env.NODEPREP_LAB_STATE = path.join(work, "lab");
  const lab = await import("../lab");
  const node = await lab.startNode(NODE_N);
  const dashboard = await startDashboard(path.join(work, "data"), path.join(work, "dashboard.log"), { NODEPREP_PRACTICE_NODES: "1", NODEPREP_LAB_STATE: process.env.NODEPREP_LAB_STATE });
  const pipes: Pipe[] = [];
  try {
    const { nodes } = await dashboard.api<{ nodes: { id: string; name: string }[] }>("GET", "/api/nodes");
    const nodeId = nodes.find((n) => n.name === node.name)?.id;
    if (!nodeId) throw new Error(`the dashboard did not register ${node.name}`);
    const viaDashboard = await dashboardPipe(dashboard.url, dashboard.cookie, nodeId);
    const bare = await barePipe(node);
    pipes.push(viaDashboard, bare);
    await ready(viaDashboard);
    await ready(bare);
    await keystrokes(viaDashboard, BLOCK); // warm both
    await keystrokes(bare, BLOCK);

    const d: number[] = [];
    const b: number[] = [];
    for (let done = 0; done < keys; done += BLOCK) {
      const n = Math.min(BLOCK, keys - done);
      b.push(...(await keystrokes(bare, n)));
      d.push(...(await keystrokes(viaDashboard, n)));
    }
    const seqBare = await throughput(bare);
    const seqDashboard = await throughput(viaDashboard);

    const row = {
      node: node.name,
      keystrokes: keys,
      bareP50Ms: round(percentile(b, 50), 2),
      bareP95Ms: round(percentile(b, 95), 2),
      dashboardP50Ms: round(percentile(d, 50), 2),
      dashboardP95Ms: round(percentile(d, 95), 2),
      p50Ratio: round(percentile(d, 50) / percentile(b, 50), 2),
      p95Ratio: round(percentile(d, 95) / percentile(b, 95), 2),
      seqBareMs: round(seqBare),
      seqDashboardMs: round(seqDashboard),
      seqRatio: round(seqDashboard / seqBare, 2),
    };
    console.log(`[bench] keystroke to echo over ${keys} keys: p50 ${row.dashboardP50Ms} ms vs bare ssh2 pty ${row.bareP50Ms} ms -> ${row.p50Ratio}x`);
    console.log(`[bench]   p95 ${row.dashboardP95Ms} ms vs ${row.bareP95Ms} ms -> ${row.p95Ratio}x (target <= 1.5x)`);
    console.log(`[bench] seq 1 200000: ${row.seqDashboardMs} ms through the dashboard vs ${row.seqBareMs} ms bare -> ${row.seqRatio}x`);
    writeResults("terminal", row);
  } finally {
    for (const p of pipes) p.close();
    await dashboard.stop();
    await lab.stopAll();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
