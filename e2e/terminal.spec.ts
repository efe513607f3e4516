// Hands-on mode in a real browser: step 1 typed by hand into a terminal on a practice node
// (xterm.js -> WebSocket -> ssh2 shell with a pty), checked by the step's own probes; a wrong attempt
// names the failed check; a reload gives a working terminal again; what was typed is kept for replay;
// a node that is not a practice node gets no terminal (the API and the socket refuse, the UI does not
// offer it).
import fs from "node:fs";
import { request as playwrightRequest, type Page } from "@playwright/test";
import WebSocket from "ws";
import { authState, expect, LoginPage, SIGNED_OUT, test } from "./fixtures";

const NODE_N = Number((process.env.NODEPREP_E2E_NODES ?? "1").split(",")[0]);
const NODE = `practice-${NODE_N}`;

test.describe.configure({ mode: "serial" });

/**
 * Reset the node through the dashboard (the Practice API), not the lab directly: a reset gives the node
 * new host keys, and the dashboard pins them only when it does the reset itself.
 */
async function resetThroughDashboard(baseURL: string) {
  const api = await playwrightRequest.newContext({ baseURL, storageState: authState("admin"), extraHTTPHeaders: { origin: baseURL } });
  try {
    const { nodes } = (await (await api.get("/api/nodes")).json()) as { nodes: { id: string; name: string }[] };
    const id = nodes.find((n) => n.name === NODE)!.id;
    const started = await api.post(`/api/practice/nodes/${id}`, { data: { action: "reset" } });
    expect(started.status(), await started.text()).toBe(202);
    const { opId } = (await started.json()) as { opId: string };
    await expect
      .poll(async () => {
        const overview = (await (await api.get("/api/practice")).json()) as { nodes: { name: string; op: { id: string; status: string } | null }[] };
        const op = overview.nodes.find((n) => n.name === NODE)?.op;
        return op?.id === opId ? op.status : "waiting";
      }, { timeout: 120_000 })
      .toBe("succeeded");
  } finally {
    await api.dispose();
  }
}

// A fresh node before (an earlier spec may have loaded the modules) and after (the next spec's start).
test.beforeAll(async ({ baseURL }) => {
  await resetThroughDashboard(baseURL!);
});
test.afterAll(async ({ baseURL }) => {
  await resetThroughDashboard(baseURL!);
});

async function nodeId(page: Page, name: string): Promise<string> {
  const res = await page.request.get("/api/nodes");
  const { nodes } = (await res.json()) as { nodes: { id: string; name: string }[] };
  const id = nodes.find((n) => n.name === name)?.id;
  if (!id) throw new Error(`no node named ${name}`);
  return id;
}

/** The terminal on the page, and a way to type a line and wait until the shell has run it. */
function terminal(page: Page) {
  const box = page.getByRole("group", { name: `Terminal on ${NODE}` });
  let marks = 0;
  return {
    box,
    status: page.getByRole("status", { name: "Terminal status" }),
    /**
     * Type a line and wait for the next prompt (`$ `, or `> ` inside a here-document), as a person does:
     * keys typed while `sudo` runs go to the command, not to the shell (sudo's use_pty relays them).
     */
    async line(text: string) {
      await box.getByRole("textbox", { name: "Terminal input" }).focus();
      await page.keyboard.type(text);
      // The host echoed it all (until then the screen still ends with the last prompt).
      await expect(box).toHaveText(new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`));
      await page.keyboard.press("Enter");
      await expect(box).toHaveText(/[$>]\s*$/);
    },
    /** The shell has run everything typed so far: it printed this mark's sum, which no echo shows. */
    async settled() {
      marks++;
      const n = 1000 + marks;
      await this.line(`echo mark-$((${n} + 1))`);
      await expect(box).toContainText(`mark-${n + 1}`);
    },
  };
}

async function checkMyWork(page: Page) {
  const status = page.getByRole("status", { name: "Check status" });
  const before = new URL(page.url()).searchParams.get("check");
  await page.getByRole("button", { name: "Check my work" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("check")).not.toBe(before);
  await expect(status).toHaveAttribute("data-state", /^(succeeded|failed)$/, { timeout: 120_000 });
  return status;
}

test("step 1 by hand: a wrong attempt names the failed check, a reload gives a working terminal, the right commands pass", async ({ page, keepScreenshot }) => {
  const id = await nodeId(page, NODE);
  await page.goto(`/wizard/kernel-modules?mode=hands-on&node=${id}`);
  await expect(page.getByRole("button", { name: "Do it yourself" })).toHaveAttribute("aria-pressed", "true");

  // The commands, as a person types them: what Apply would run on this node.
  await page.getByRole("button", { name: "Show the commands" }).click();
  const commands = page.getByRole("region", { name: "Commands to type" });
  await expect(commands).toContainText("sudo tee /etc/modules-load.d/.k8s.conf.nodeprep > /dev/null <<'EOF'");
  await expect(commands).toContainText("sudo modprobe overlay");
  await expect(commands).toContainText("sudo modprobe br_netfilter");

  let term = terminal(page);
  await expect(term.status).toHaveAttribute("data-state", "open");
  // A wrong attempt: only overlay.
  await term.line("sudo modprobe overlay");
  await term.settled();
  let status = await checkMyWork(page);
  await expect(status).toContainText("not yet");
  const verification = page.getByRole("region", { name: `Verification on ${NODE}` });
  await expect(verification.getByRole("listitem", { name: "overlay module: ok" })).toBeVisible();
  await expect(verification.getByRole("listitem", { name: "br_netfilter module: fail" })).toBeVisible();
  await expect(verification.getByRole("listitem", { name: "modules loaded at boot: fail" })).toBeVisible();
  await keepScreenshot("terminal-hands-on-wrong-attempt");

  // Reload mid-session: a clean new session, usable at once.
  const firstSession = await term.box.getAttribute("data-session-id");
  await page.reload();
  term = terminal(page);
  await expect(term.status).toHaveAttribute("data-state", "open");
  await expect(term.box).not.toHaveAttribute("data-session-id", firstSession ?? "");
  await term.settled();

  // The rest, typed as the commands list shows it (the here-document line by line).
  await term.line("sudo mkdir -p /etc/modules-load.d");
  await term.line("cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf");
  await term.line("overlay");
  await term.line("br_netfilter");
  await term.line("EOF");
  await term.line("sudo modprobe br_netfilter");
  await term.settled();
  await expect(term.box).toContainText("br_netfilter");
  status = await checkMyWork(page);
  await expect(status).toContainText("every check passes");
  for (const check of ["overlay module", "br_netfilter module", "modules loaded at boot"]) {
    await expect(verification.getByRole("listitem", { name: `${check}: ok` })).toBeVisible();
  }
  await expect(verification.getByLabel("Raw output of br_netfilter module")).toContainText(/br_netfilter\s+\d+\s+0/);
  await keepScreenshot("terminal-hands-on-passed");

  // Kept for the trainer: the sessions, how each ended, and what was typed in them.
  const sessions = (await (await page.request.get(`/api/terminals?node=${id}`)).json()).sessions as { id: string; endReason: string | null }[];
  expect(sessions.map((s) => s.id)).toContain(firstSession);
  await expect.poll(async () => ((await (await page.request.get(`/api/terminals?node=${id}`)).json()).sessions as { id: string; endReason: string | null }[]).find((s) => s.id === firstSession)?.endReason).toBe("the page closed");
  const current = await term.box.getAttribute("data-session-id");
  const log = await (await page.request.get(`/api/terminals/${current}/input`)).json();
  const typed = (log.input as { data: string }[]).map((i) => i.data).join("");
  expect(typed).toContain("sudo modprobe br_netfilter\r");
  expect(typed).toContain("cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\r");

  // The trainer's replay view.
  await page.getByRole("link", { name: "Terminal sessions and replays" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Terminal sessions" })).toBeVisible();
  await page.getByRole("button", { name: new RegExp(`^Replay the session of .* on ${NODE} started`) }).first().click();
  const replay = page.getByRole("region", { name: "What was typed" });
  await expect(replay).toContainText("cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\noverlay\nbr_netfilter\nEOF\nsudo modprobe br_netfilter");
  await keepScreenshot("terminal-replay");
});

test("a node that is not a practice node gets no terminal: the API and the socket refuse, the UI does not offer it", async ({ page, apiAs, baseURL, allowConsoleErrors }) => {
  allowConsoleErrors(/status of 403/);
  const admin = await apiAs("admin");
  const created = await admin.post("/api/nodes", {
    data: { name: "real-host-1", address: "10.0.0.5", port: 22, username: "ops", auth: { method: "password", password: "not-a-real-one" }, privilege: { kind: "sudo-nopasswd" } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const realId = ((await created.json()) as { node: { id: string } }).node.id;
  try {
    const access = await admin.get(`/api/terminals/access?node=${realId}`);
    expect(access.status()).toBe(403);
    expect((await access.json()).error).toContain("not a practice node");

    // The socket itself, as the admin, with the dashboard's own Origin: refused before any upgrade.
    const cookie = (JSON.parse(fs.readFileSync(authState("admin"), "utf8")) as { cookies: { name: string; value: string }[] }).cookies.find((c) => c.name === "nodeprep_session")!;
    const refusal = (origin: string, node: string) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${baseURL!.replace(/^http/, "ws")}/api/terminals/socket?node=${node}&cols=80&rows=24`, { headers: { cookie: `nodeprep_session=${cookie.value}`, origin } });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => reject(new Error("the socket opened")));
        ws.on("error", () => undefined);
      });
    expect(await refusal(baseURL!, realId)).toBe(403);
    // And a practice node from another site's page (a WebSocket carries our cookie from anywhere).
    expect(await refusal("http://evil.example", await nodeId(page, NODE))).toBe(403);

    await page.goto(`/wizard/kernel-modules?mode=hands-on&node=${realId}`);
    const select = page.getByRole("combobox", { name: "Practice node" });
    await expect(select.getByRole("option", { name: NODE })).toHaveCount(1);
    await expect(select.getByRole("option", { name: "real-host-1" })).toHaveCount(0);
    await expect(page.getByText("real-host-1 is not a practice node")).toBeVisible();
    await expect(page.getByRole("group", { name: "Terminal on real-host-1" })).toHaveCount(0);
  } finally {
    await admin.delete(`/api/nodes/${realId}`);
  }
});

test("a practice node assigned to a trainee: the trainee gets its terminal, an operator no longer does", async ({ page, browser, baseURL, apiAs }) => {
  const id = await nodeId(page, NODE);
  const admin = await apiAs("admin");
  const trainee = { name: `e2e-term-${Date.now().toString(36)}`, password: "a-long-trainee-password" };
  const created = await admin.post("/api/training/trainees", { data: { ...trainee, node: id } });
  expect(created.status(), await created.text()).toBe(201);
  const userId = ((await created.json()) as { trainee: { id: string } }).trainee.id;
  try {
    const operator = await apiAs("operator");
    const refused = await operator.get(`/api/terminals/access?node=${id}`);
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error).toBe(`${NODE} is assigned to another trainee`);

    const context = await browser.newContext({ baseURL, storageState: SIGNED_OUT });
    const t = await context.newPage();
    const login = new LoginPage(t);
    await login.open(`/wizard/kernel-modules?mode=hands-on&node=${id}`);
    await login.signIn(trainee.name, trainee.password);
    const term = terminal(t);
    await expect(term.status).toHaveAttribute("data-state", "open");
    await term.settled();
    await t.screenshot({ path: "artifacts/screenshots/terminal-trainee.png", fullPage: true });
    await context.close();
  } finally {
    await admin.patch(`/api/training/trainees/${userId}`, { data: { node: null } });
  }
});
