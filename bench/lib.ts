// Shared by the benchmarks: the bare-ssh2 baseline, timing, and where results go. Every benchmark
// measures its baseline in the same run and reports ratios, never absolute thresholds.
import { spawn, spawnSync } from "node:child_process";
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

/** Debian's ansible-core for the baselines (APT_BENCH in scripts/lib.sh), installed when missing. */
export function ensureAnsible(): string | null {
  const which = () => spawnSync("sh", ["-c", "command -v ansible"], { encoding: "utf8" }).stdout.trim();
  if (which()) return which();
  console.log("[bench] installing Debian's ansible-core for the baseline (APT_BENCH in scripts/lib.sh)");
  const r = spawnSync("bash", ["-c", "source scripts/lib.sh && ensure_apt $APT_BENCH"], { cwd: ROOT, stdio: "inherit" });
  return r.status === 0 && which() ? which() : null;
}

/** `ansible all --limit <limit> -b -f <forks> -m shell -a <script>`: fails unless every host answered. */
export function runAnsible(ansible: string, inventory: string, limit: string, script: string, env: NodeJS.ProcessEnv, forks: number): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(ansible, ["all", "-i", inventory, "--limit", limit, "-b", "-f", String(forks), "-o", "-m", "shell", "-a", script], { env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`ansible exited ${code}:\n${out.slice(-2000)}`));
      resolve({ ms, out });
    });
  });
}

/**
 * Bundle a render benchmark's entry (esbuild, React in production mode, next/link as a plain anchor)
 * and call the function it puts on window with `args` in Debian's Chromium; returns its result.
 */
export async function runInChromium(entry: string, fn: string, args: unknown[]): Promise<unknown> {
  const esbuild = await import("esbuild");
  const { chromium } = await import("@playwright/test");
  const built = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "iife",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
    alias: { "next/link": path.join(ROOT, "bench/stub-link.tsx") },
    tsconfig: path.join(ROOT, "tsconfig.json"),
    jsx: "automatic",
    logLevel: "error",
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.setContent(`<!doctype html><html><body><div id="root"></div></body></html>`);
    await page.addScriptTag({ content: built.outputFiles[0].text });
    return await page.evaluate(([name, a]) => (window as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[name as string](...(a as unknown[])), [fn, args] as const);
  } finally {
    await browser.close();
  }
}
