// Start what the browser tests need, for real: practice nodes (QEMU VMs restored from the lab's
// snapshot) and the built dashboard (`next start`) on its own data directory. Stops them at the end.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startNode, stopAll } from "../lab/nodes";

export const E2E_PORT = 3100;
const NODE_NUMBERS = (process.env.NODEPREP_E2E_NODES ?? "1").split(",").map(Number);

async function waitForHttp(url: string, server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`dashboard exited with ${server.exitCode} before answering`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`dashboard did not answer on ${url} within ${timeoutMs} ms`);
}

export default async function globalSetup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-e2e-"));
  // The lab reads this at call time: the e2e nodes live apart from a demo's.
  process.env.NODEPREP_LAB_STATE = path.join(root, "lab");
  for (const n of NODE_NUMBERS) await startNode(n);

  const dataDir = path.join(root, "data");
  const log = fs.openSync(path.join(root, "server.log"), "a");
  const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(E2E_PORT)], {
    env: { ...process.env, NODEPREP_DATA_DIR: dataDir, NODEPREP_PRACTICE_NODES: "1", NODE_ENV: "production" },
    stdio: ["ignore", log, log],
  });
  try {
    await waitForHttp(`http://127.0.0.1:${E2E_PORT}/`, server, 60_000);
  } catch (error) {
    console.error(fs.readFileSync(path.join(root, "server.log"), "utf8"));
    server.kill("SIGKILL");
    await stopAll();
    throw error;
  }
  console.log(`[e2e] dashboard on :${E2E_PORT}, practice nodes ${NODE_NUMBERS.join(", ")}, files in ${root}`);

  return async () => {
    server.kill("SIGTERM");
    await stopAll();
  };
}
