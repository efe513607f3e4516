// Shared by the benchmarks: the bare-ssh2 baseline, timing, and where results go. Every benchmark
// measures its baseline in the same run and reports ratios, never absolute thresholds.
import fs from "node:fs";
import path from "node:path";
import { Client } from "ssh2";

export const ROOT = path.resolve(import.meta.dirname, "..");

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
export const arg = (args: string[], name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

export interface BareTarget {
  host: string;
  port: number;
  user: string;
  privateKey: string;
}

/** A plain ssh2 connection: the baseline nodeprep's pooled layer is compared with. */
export function connectBare(node: BareTarget): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on("ready", () => resolve(c))
      .on("error", reject)
      .connect({ host: node.host, port: node.port, username: node.user, privateKey: node.privateKey, readyTimeout: 60_000 });
  });
}

export function execTrue(c: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    c.exec("true", (err, stream) => {
      if (err) return reject(err);
      stream.on("close", (code: number) => (code === 0 ? resolve() : reject(new Error(`true exited ${code}`)))).resume();
      stream.stderr.resume();
    });
  });
}

/** The cold baseline: a new bare connection per node, `true`, then hang up. */
export function coldExecTrue(nodes: readonly BareTarget[]): Promise<unknown> {
  return Promise.all(
    nodes.map(async (n) => {
      const c = await connectBare(n);
      await execTrue(c);
      c.end();
    }),
  );
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function writeResults(name: string, results: Record<string, unknown>): string {
  const dir = path.join(ROOT, "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  console.log(`[bench] results in ${path.relative(ROOT, file)}`);
  return file;
}
