// Start what the browser tests need, for real: practice nodes (QEMU VMs restored from the lab's
// snapshot) and the built dashboard (`npm start`'s scripts/start.mjs -> `next start`) on its own data
// directory. Stops them at the end.
//
// Sign-in: the dashboard starts with NODEPREP_BOOTSTRAP_ADMIN (a random password), the admin creates
// an operator and a viewer through the API, and each one's signed-in cookie is saved as a Playwright
// storageState in $NODEPREP_E2E_AUTH_DIR/<role>.json (fixtures.ts uses admin's by default).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureImage } from "../lab/image";
import { startNode, stopAll } from "../lab/nodes";

export const E2E_PORT = 3100;
// Two nodes: the health spec needs two (one frozen while the other answers). Specs that change a node
// reset it first (lab resetNode), so no spec depends on what an earlier one left behind.
const NODE_NUMBERS = (process.env.NODEPREP_E2E_NODES ?? "1,2").split(",").map(Number);

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

type Credentials = { name: string; password: string };

/** Sign in over the API like the browser would (same Origin), and return the session cookie. */
async function signIn(baseUrl: string, who: Credentials): Promise<{ value: string; expires: number }> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify(who),
  });
  if (!res.ok) throw new Error(`e2e sign-in as ${who.name} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie") ?? "";
  const value = /nodeprep_session=([^;]+)/.exec(cookie)?.[1];
  const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1] ?? "3600");
  if (!value) throw new Error(`e2e sign-in as ${who.name}: no session cookie in ${JSON.stringify(cookie)}`);
  return { value, expires: Math.floor(Date.now() / 1000) + maxAge };
}

/** admin (bootstrapped), plus an operator and a viewer created by the admin; a storageState for each. */
async function signInUsers(baseUrl: string, admin: Credentials, authDir: string) {
  fs.mkdirSync(authDir, { recursive: true, mode: 0o700 });
  const users: Record<string, Credentials> = { admin };
  const adminCookie = await signIn(baseUrl, admin);
  for (const role of ["operator", "viewer"] as const) {
    const who = { name: `e2e-${role}`, password: randomBytes(18).toString("base64url") };
    const res = await fetch(`${baseUrl}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl, cookie: `nodeprep_session=${adminCookie.value}` },
      body: JSON.stringify({ ...who, role }),
    });
    if (res.status !== 201) throw new Error(`e2e: creating ${who.name} failed: ${res.status} ${await res.text()}`);
    users[role] = who;
  }
  for (const [role, who] of Object.entries(users)) {
    const cookie = role === "admin" ? adminCookie : await signIn(baseUrl, who);
    const state = {
      cookies: [{ name: "nodeprep_session", value: cookie.value, domain: "127.0.0.1", path: "/", expires: cookie.expires, httpOnly: true, secure: false, sameSite: "Strict" }],
      origins: [],
    };
    fs.writeFileSync(path.join(authDir, `${role}.json`), JSON.stringify(state), { mode: 0o600 });
  }
  fs.writeFileSync(path.join(authDir, "users.json"), JSON.stringify(users), { mode: 0o600 });
}

export default async function globalSetup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-e2e-"));
  // The lab reads this at call time: the e2e nodes live apart from a demo's.
  process.env.NODEPREP_LAB_STATE = path.join(root, "lab");
  for (const n of NODE_NUMBERS) await startNode(n);

  const dataDir = path.join(root, "data");
  // Tests that damage the dashboard's artifact cache (<data>/artifacts/<sha256>/<file>) find it here.
  process.env.NODEPREP_E2E_DATA_DIR = dataDir;
  // The practice nodes have no internet: the wizard installs the lab's Debian-built release
  // (registered as a local release, served from the dashboard's cache over SFTP).
  const localReleases = process.env.NODEPREP_LOCAL_RELEASES ?? (await ensureImage()).artifactsDir;
  const log = fs.openSync(path.join(root, "server.log"), "a");
  const admin = { name: "e2e-admin", password: randomBytes(18).toString("base64url") };
  const server = spawn(process.execPath, [path.resolve("scripts/start.mjs")], {
    env: {
      ...process.env,
      NODEPREP_DATA_DIR: dataDir,
      NODEPREP_PRACTICE_NODES: "1",
      NODE_ENV: "production",
      NODEPREP_HOST: "127.0.0.1",
      PORT: String(E2E_PORT),
      NODEPREP_BOOTSTRAP_ADMIN: `${admin.name}:${admin.password}`,
      NODEPREP_LOCAL_RELEASES: localReleases,
    },
    stdio: ["ignore", log, log],
  });
  const baseUrl = `http://127.0.0.1:${E2E_PORT}`;
  try {
    await waitForHttp(`${baseUrl}/login`, server, 60_000);
    const authDir = path.join(root, "auth");
    await signInUsers(baseUrl, admin, authDir);
    process.env.NODEPREP_E2E_AUTH_DIR = authDir;
  } catch (error) {
    console.error(fs.readFileSync(path.join(root, "server.log"), "utf8"));
    server.kill("SIGTERM");
    await stopAll();
    throw error;
  }
  console.log(`[e2e] dashboard on :${E2E_PORT}, practice nodes ${NODE_NUMBERS.join(", ")}, files in ${root}`);

  return async () => {
    server.kill("SIGTERM");
    await stopAll();
  };
}
