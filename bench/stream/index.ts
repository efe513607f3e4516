// bench/stream: how late does a line printed on a node reach a Server-Sent Events client, compared
// with a bare ssh2 exec reading the same lines, measured in the same run on the same practice node.
//
//   npx tsx --conditions react-server bench/stream/index.ts [--node 21] [--lines 200]
//
// Product path: the run engine (real SSH layer, pooled connection) -> each output line redacted,
// numbered and stored in SQLite -> the live bus -> runEventStream (the code behind
// GET /api/runs/:id/events) served over HTTP -> a client parsing `data:` frames. Baseline: ssh2's
// exec stream, split into lines. The node stamps each line with its clock (date +%s%N); the host
// subtracts the guest-clock offset measured just before (NTP-style, best of several round trips), so
// both paths carry the same offset error. Prints latencies and RATIOS; asserts nothing.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { Client } from "ssh2";
import { getNode, startNode, stopNode, type PracticeNode } from "../../lab";
import { openDb } from "../../server/db";
import { pinnedKeyOf } from "../../server/practice/sync";
import { createEngine } from "../../server/runs/engine";
import { runEventStream } from "../../server/runs/stream";
import { closeAllConnections, getRemoteHost, targetSecrets, type NodeTarget } from "../../server/ssh";
import type { Step } from "../../server/catalog/types";
import { debianFacts } from "../../server/catalog/fixtures/facts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg("node", 21);
const LINES = arg("lines", 200);
// Spaced out so each line is its own SSH packet (not a burst measured as one).
const LOOP = `i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "L $i $(date +%s%N)"; sleep 0.02; done`;

const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

function ssh2Session(node: PracticeNode): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on("ready", () => resolve(c))
      .on("error", reject)
      .connect({ host: node.host, port: node.port, username: node.user, privateKey: node.privateKey, hostVerifier: () => true });
  });
}

function execLines(c: Client, command: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, stream) => {
      if (err) return reject(err);
      let partial = "";
      stream.on("data", (d: Buffer) => {
        const parts = (partial + d.toString()).split("\n");
        partial = parts.pop() ?? "";
        parts.forEach(onLine);
      });
      stream.stderr.resume();
      stream.on("close", () => resolve());
    });
  });
}

/** Guest clock minus host clock, in ns: from the round trip with the least delay. */
async function clockOffset(c: Client): Promise<bigint> {
  let best: { rtt: bigint; offset: bigint } | null = null;
  for (let i = 0; i < 15; i++) {
    const t0 = nowNs();
    let guest = 0n;
    await execLines(c, "date +%s%N", (l) => (guest = BigInt(l.trim())));
    const t1 = nowNs();
    const rtt = t1 - t0;
    const offset = guest - (t0 + t1) / 2n;
    if (!best || rtt < best.rtt) best = { rtt, offset };
  }
  return best!.offset;
}

const latencyMs = (line: string, arrivedNs: bigint, offset: bigint) => {
  const m = /^L (\d+) (\d+)$/.exec(line);
  if (!m) return null;
  return Number(arrivedNs - (BigInt(m[2]) - offset)) / 1e6;
};

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function baseline(c: Client, offset: bigint): Promise<number[]> {
  const out: number[] = [];
  await execLines(c, LOOP, (l) => {
    const v = latencyMs(l, nowNs(), offset);
    if (v !== null) out.push(v);
  });
  return out;
}

async function product(node: PracticeNode, offset: bigint): Promise<number[]> {
  const db = openDb(":memory:");
  const target: NodeTarget = {
    nodeId: "bench",
    name: node.name,
    address: node.host,
    port: node.port,
    username: node.user,
    auth: { kind: "key", privateKey: node.privateKey },
    privilege: { kind: "sudo-nopasswd" },
    hostKey: pinnedKeyOf(node.hostKeys),
  };
  const step: Step = {
    id: "stream-bench",
    title: "stream bench",
    summary: "",
    requires: [],
    observe: { probes: [], files: [] },
    plan: () => ({ actions: [{ kind: "run-command", argv: ["sh", "-c", LOOP], reason: "bench" }], notes: [] }),
    verify: [],
  };
  const engine = createEngine({
    db,
    catalog: { steps: [step], getProbe: (id) => { throw new Error(`no probe ${id}`); } },
    describeNode: () => ({ id: "bench", name: node.name }),
    connect: async () => ({ host: getRemoteHost(target), secrets: targetSecrets(target) }),
    // Facts are not what is measured here.
    gatherFacts: async () => debianFacts,
  });
  const server = http.createServer((req, res) => {
    const runId = new URL(req.url!, "http://x").searchParams.get("run")!;
    const ac = new AbortController();
    req.on("close", () => ac.abort());
    res.writeHead(200, { "content-type": "text/event-stream" });
    const reader = runEventStream(db, runId, 0, ac.signal).getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const { runId } = engine.start({ stepIds: ["stream-bench"], nodeIds: ["bench"], mode: "apply", actor: "bench" });
    const res = await fetch(`http://127.0.0.1:${port}/events?run=${runId}`);
    const out: number[] = [];
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const arrived = nowNs();
      buf += decoder.decode(chunk, { stream: true });
      const frames = buf.split("\n\n");
      buf = frames.pop() ?? "";
      for (const f of frames) {
        const data = f.split("\n").find((l) => l.startsWith("data: "));
        if (!data) continue;
        const e = JSON.parse(data.slice(6)) as { type: string; line?: string };
        if (e.type === "output" && e.line) {
          const v = latencyMs(e.line, arrived, offset);
          if (v !== null) out.push(v);
        }
      }
    }
    await engine.idle();
    return out;
  } finally {
    server.close();
    db.close();
  }
}

async function main() {
  const started = !getNode(N);
  const node = await startNode(N);
  const c = await ssh2Session(node);
  try {
    // Warm both paths once (first exec, pooled connection), then measure alternately.
    const offset = await clockOffset(c);
    console.log(`[bench/stream] ${node.name}: ${LINES} lines, guest clock offset ${(Number(offset) / 1e6).toFixed(1)} ms`);
    const base: number[] = [];
    const prod: number[] = [];
    for (let round = 0; round < 2; round++) {
      base.push(...(await baseline(c, offset)));
      prod.push(...(await product(node, offset)));
    }
    const row = (name: string, v: number[]) =>
      `${name.padEnd(28)} n=${String(v.length).padStart(4)}  p50 ${pct(v, 50).toFixed(2).padStart(7)} ms  p95 ${pct(v, 95).toFixed(2).padStart(7)} ms`;
    console.log(row("bare ssh2 exec", base));
    console.log(row("engine -> SQLite -> SSE", prod));
    console.log(`ratio p50 ${(pct(prod, 50) / pct(base, 50)).toFixed(2)}x   ratio p95 ${(pct(prod, 95) / pct(base, 95)).toFixed(2)}x   (SSE / bare ssh2)`);
    console.log(`added p50 ${(pct(prod, 50) - pct(base, 50)).toFixed(2)} ms   added p95 ${(pct(prod, 95) - pct(base, 95)).toFixed(2)} ms`);
  } finally {
    c.end();
    closeAllConnections();
    if (started) await stopNode(N);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
