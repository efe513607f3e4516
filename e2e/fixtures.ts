import { test as base, expect, request as playwrightRequest, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

/** Screenshots kept as CI artifacts (design.md convention 9). */
export const ARTIFACTS_DIR = path.resolve("artifacts", "screenshots");

export class NodesPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto("/nodes");
    await expect(this.page.getByRole("heading", { name: "Nodes" })).toBeVisible();
  }
  /** The node's row, by its name link (another row may mention the name: "via practice-1"). */
  row(name: string) {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("link", { name, exact: true }) });
  }
}

// ---- Sign-in. global-setup.ts signs in an admin, an operator and a viewer and saves each
// one's cookie; every test runs signed in as the admin unless it says otherwise:
//   test.use({ storageState: authState("viewer") })           a whole file or describe as the viewer
//   test.use({ storageState: SIGNED_OUT })                     signed out
//   const page2 = await pageAs("viewer")                       a second browser context in one test
//   const api = await apiAs("operator"); await api.post(...)   API calls (sends the same-Origin header
//                                                              that mutating routes require)
export type E2eRole = "admin" | "operator" | "viewer";
export const SIGNED_OUT = { cookies: [], origins: [] };

function authDir(): string {
  const dir = process.env.NODEPREP_E2E_AUTH_DIR;
  if (!dir) throw new Error("NODEPREP_E2E_AUTH_DIR is not set: e2e/global-setup.ts signs the test users in");
  return dir;
}
export const authState = (role: E2eRole) => path.join(authDir(), `${role}.json`);
/** Names and passwords of the e2e users (for tests of the sign-in form itself). */
export const e2eUser = (role: E2eRole): { name: string; password: string } =>
  JSON.parse(fs.readFileSync(path.join(authDir(), "users.json"), "utf8"))[role];

export class LoginPage {
  constructor(readonly page: Page) {}
  async open(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
    await expect(this.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
  async signIn(name: string, password: string) {
    await this.page.getByLabel("Name").fill(name);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
  error() {
    return this.page.getByRole("form", { name: "Sign in" }).getByRole("alert");
  }
}

export class UserMenu {
  constructor(readonly page: Page) {}
  signedInUser() {
    return this.page.getByTestId("signed-in-user");
  }
  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
}

// ---- Browser problems: every spec fails on a Content-Security-Policy violation, a script
// error or any console error, in every page it opens. A test that provokes an error on purpose (a
// refused request shows as "Failed to load resource: ... status of 403") says so first:
//   allowConsoleErrors(/status of 403/)
// or, for a whole file or describe: test.use({ allowedConsoleErrors: [/status of 401/] })
async function watchPage(page: Page, problems: string[]) {
  // CSP violations also reach the console as errors; the event says which directive and what it blocked.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`));
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
}

export const test = base.extend<{
  allowConsoleErrors: (pattern: RegExp) => void;
  browserProblems: string[];
  nodesPage: NodesPage;
  loginPage: LoginPage;
  userMenu: UserMenu;
  pageAs: (role: E2eRole) => Promise<Page>;
  apiAs: (role: E2eRole) => Promise<APIRequestContext>;
  keepScreenshot: (name: string) => Promise<void>;
  allowedConsoleErrors: RegExp[];
}>({
  // Signed in as the admin by default (override with test.use({ storageState: ... })).
  storageState: async ({}, use) => use(authState("admin")),
  allowedConsoleErrors: [[], { option: true }],
  browserProblems: async ({}, use) => use([]),
  allowConsoleErrors: [
    async ({ browserProblems, allowedConsoleErrors }, use) => {
      const allowed: RegExp[] = [...allowedConsoleErrors];
      await use((pattern) => allowed.push(pattern));
      const left = browserProblems.filter((p) => !allowed.some((a) => a.test(p)));
      expect(left, "CSP violations, script errors or console errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
  page: async ({ page, browserProblems }, use) => {
    await watchPage(page, browserProblems);
    await use(page);
  },
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  userMenu: async ({ page }, use) => use(new UserMenu(page)),
  pageAs: async ({ browser, baseURL, browserProblems }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async (role) => {
      const context = await browser.newContext({ baseURL, storageState: authState(role) });
      contexts.push(context);
      const page = await context.newPage();
      await watchPage(page, browserProblems);
      return page;
    });
    for (const c of contexts) await c.close();
  },
  apiAs: async ({ baseURL }, use) => {
    const contexts: APIRequestContext[] = [];
    await use(async (role) => {
      const context = await playwrightRequest.newContext({ baseURL, storageState: authState(role), extraHTTPHeaders: { origin: baseURL ?? "" } });
      contexts.push(context);
      return context;
    });
    for (const c of contexts) await c.dispose();
  },
  nodesPage: async ({ page }, use) => use(new NodesPage(page)),
  keepScreenshot: async ({ page }, use) => {
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await use(async (name) => {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
    });
  },
});

export { expect };

// ---- The wizard: page objects expose intents; locate by role and label. ----

export class WizardPage {
  constructor(readonly page: Page) {}
  async open(stepId: string, nodeIds: string[] = []) {
    await this.page.goto(`/wizard/${stepId}${nodeIds.length ? `?nodes=${nodeIds.join(",")}` : ""}`);
    await expect(this.page.getByRole("navigation", { name: "Wizard steps" })).toBeVisible();
  }
  async selectNode(name: string) {
    const box = this.page.getByRole("checkbox", { name: new RegExp(`^${name}\\b`) });
    await box.check();
    await expect(box).toBeChecked();
  }
  /** Click Check or Apply and wait until the run has ended; returns the run status region. */
  async run(mode: "Check" | "Apply", opts: { whileRunning?: () => Promise<void> } = {}) {
    const runParam = () => new URL(this.page.url()).searchParams.get("run");
    const before = runParam();
    await this.page.getByRole("button", { name: mode, exact: true }).click();
    await expect.poll(() => runParam() !== null && runParam() !== before).toBe(true);
    // Starting a run must not lose the nodes just ticked (the run's ?run= once replaced ?nodes=).
    await expect.poll(() => new URL(this.page.url()).searchParams.get("nodes")).toBeTruthy();
    const status = this.runStatus();
    await expect(status).toHaveAttribute("data-run-id", runParam()!);
    await opts.whileRunning?.();
    await expect(status).toHaveAttribute("data-state", /^(succeeded|failed|cancelled|interrupted)$/, { timeout: 120_000 });
    return status;
  }
  runStatus() {
    return this.page.getByRole("status", { name: "Run status" });
  }
  stepLink(title: string) {
    return this.page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: new RegExp(title) });
  }
  plan(nodeName: string) {
    return this.page.getByRole("region", { name: `Plan for ${nodeName}` });
  }
  log(nodeName: string) {
    return this.page.getByRole("log", { name: `Log of ${nodeName}` });
  }
  verification(nodeName: string) {
    return this.page.getByRole("region", { name: `Verification on ${nodeName}` });
  }
  rawOutput(nodeName: string, probeTitle: string) {
    return this.verification(nodeName).getByLabel(`Raw output of ${probeTitle}`);
  }
  /** A verification card by its probe's title and verdict ("swap off", "ok"). */
  card(nodeName: string, probeTitle: string, status: "ok" | "warn" | "fail" | "unknown") {
    return this.verification(nodeName).getByRole("listitem", { name: `${probeTitle}: ${status}` });
  }
  /** A run of several steps: one row per step, one cell per node. */
  stepsOfRun() {
    return this.runStatus().getByRole("table", { name: "Every step of this run" });
  }
  explanation() {
    return this.page.getByRole("article", { name: "Explanation" });
  }
  needsFirst() {
    return this.page.getByRole("note", { name: "Needs first" });
  }
}

/** A status badge by its words (its symbol, hidden from screen readers, comes first: "✓ succeeded"). */
export function badge(scope: Locator, label: string) {
  return scope.getByText(new RegExp(`^[^a-z]*${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
}

export const wizardTest = test.extend<{ wizard: WizardPage }>({
  wizard: async ({ page }, use) => use(new WizardPage(page)),
});

// ---- Health ----
export class HealthPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto("/health");
    await expect(this.page.getByRole("heading", { name: "Health", level: 1 })).toBeVisible();
  }
  scanStatus() {
    return this.page.getByTestId("scan-status");
  }
  /** Press "Scan now" and wait until that scan has finished on every node. */
  /** Scan every node and wait for it to end; `button` "Re-run every command" runs even unchanged commands. */
  async scan(opts: { whileRunning?: () => Promise<void>; button?: "Scan now" | "Re-run every command" } = {}) {
    const before = await this.scanStatus().getAttribute("data-scan-id").catch(() => null);
    await this.page.getByRole("button", { name: opts.button ?? "Scan now" }).click();
    await expect.poll(async () => this.scanStatus().getAttribute("data-scan-id")).not.toBe(before);
    await opts.whileRunning?.();
    await expect(this.scanStatus()).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  }
  row(nodeName: string) {
    return this.page.getByRole("row").filter({ has: this.page.getByRole("rowheader").getByRole("link", { name: nodeName, exact: true }) });
  }
  cell(nodeName: string, probeTitle: string) {
    return this.page.getByRole("button", { name: new RegExp(`^${nodeName}: ${probeTitle.replace(/[()]/g, "\\$&")}: `) });
  }
  detail(nodeName: string, probeTitle: string) {
    return this.page.getByRole("region", { name: `${probeTitle} on ${nodeName}` });
  }
  drift() {
    return this.page.getByRole("list", { name: "Drift events" });
  }
  readyCount() {
    return this.page.getByTestId("ready-count");
  }
}

export const healthTest = test.extend<{ health: HealthPage; wizard: WizardPage }>({
  health: async ({ page }, use) => use(new HealthPage(page)),
  wizard: async ({ page }, use) => use(new WizardPage(page)),
});
