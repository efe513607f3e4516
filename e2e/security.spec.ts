// What of a request the dashboard believes, against the real server (scripts/start.mjs in front of
// Next): the Host it answers
// to, X-Forwarded-* from clients not believed, security headers on every answer, and pages that run
// under their Content-Security-Policy (fixtures.ts fails every spec on a CSP violation or console error).
import http from "node:http";
import { e2eUser, expect, test } from "./fixtures";

const BASE = new URL(process.env.NODEPREP_E2E_URL ?? "http://127.0.0.1:3100");

/** A raw request, so the Host header can be anything (fetch would not let us set it). */
function raw(method: string, pathName: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: BASE.hostname, port: BASE.port, method, path: pathName, headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const login = (headers: Record<string, string>) => {
  const admin = e2eUser("admin");
  const body = JSON.stringify({ name: admin.name, password: admin.password });
  return raw("POST", "/api/auth/login", { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers }, body);
};

test("a request addressed to another name is refused (421), sign-in included: DNS rebinding gets no session", async () => {
  const evil = "evil.example:" + BASE.port;
  const signIn = await login({ host: evil, origin: `http://${evil}` });
  expect(signIn.status).toBe(421);
  expect(signIn.headers["set-cookie"]).toBeUndefined();
  expect(JSON.parse(signIn.body).code).toBe("wrong_host");
  expect((await raw("GET", "/login", { host: evil })).status).toBe(421);
  // Its own address still works.
  expect((await login({ host: BASE.host, origin: BASE.origin })).status).toBe(200);
});

test("X-Forwarded-Host and X-Forwarded-For from a client are not believed (no trusted proxy configured)", async ({ apiAs }) => {
  const forged = await login({ host: BASE.host, origin: "http://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-for": "6.6.6.6", "x-nodeprep-peer": "6.6.6.7" });
  expect(forged.status).toBe(403);
  expect(JSON.parse(forged.body).code).toBe("cross_origin");
  const ok = await login({ host: BASE.host, origin: BASE.origin, "x-forwarded-for": "6.6.6.6", "x-nodeprep-peer": "6.6.6.7" });
  expect(ok.status).toBe(200);
  // The audit log has the address the socket came from, not the one claimed.
  const admin = await apiAs("admin");
  const entries = (await (await admin.get("/api/audit?action=sign-in&limit=1")).json()).entries as { detail: { from: string } }[];
  expect(entries[0].detail.from).toBe("127.0.0.1");
});

test("security headers on pages, API answers and static files; a page's scripts carry the CSP nonce", async ({ page }) => {
  const res = await page.goto("/nodes");
  const csp = res!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res!.headers()).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY" });
  await expect(page.getByRole("heading", { name: "Nodes" })).toBeVisible(); // hydrated: its scripts ran
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  const scripts = await page.evaluate(() => [...document.querySelectorAll("script")].map((s) => s.nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);
  // Another request, another nonce.
  const again = (await page.goto("/nodes"))!.headers()["content-security-policy"];
  expect(again).not.toContain(nonce);

  const api = await page.request.get("/api/nodes");
  expect(api.headers()).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY" });
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
  const asset = await page.evaluate(() => (document.querySelector("script[src]") as HTMLScriptElement).src);
  const staticRes = await page.request.get(asset);
  expect(staticRes.headers()).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "same-origin" });
});

test("the audit log shows a run's commands, who ran them, and a probe script stored once and opened by its hash", async ({ page, apiAs, keepScreenshot }) => {
  const op = await apiAs("operator");
  const nodeName = `practice-${(process.env.NODEPREP_E2E_NODES ?? "1").split(",")[0]}`;
  const node = ((await (await op.get("/api/nodes")).json()).nodes as { id: string; name: string }[]).find((n) => n.name === nodeName)!;
  const started = await op.post("/api/runs", { data: { stepIds: ["kernel-modules"], nodeIds: [node.id], mode: "check" } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  await expect.poll(async () => ((await (await op.get(`/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status, { timeout: 120_000 }).not.toBe("running");

  await page.goto(`/audit?run=${runId}`);
  const table = page.getByRole("table", { name: "Audit log" });
  const probes = table.getByRole("row").filter({ hasText: "probes (one script): module-overlay" });
  await expect(probes.first()).toContainText("e2e-operator");
  await expect(probes.first()).toContainText(nodeName);
  await probes.first().getByText(/^script sha256 [0-9a-f]{12}…$/).click();
  await expect(probes.first().getByLabel(/^Script [0-9a-f]{64}$/)).toContainText("lsmod");
  await keepScreenshot("audit-run-with-script");
});
