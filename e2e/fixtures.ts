import { test as base, expect, request as playwrightRequest, type APIRequestContext, type BrowserContext, type Locator, type Page } from "@playwright/test";
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

// ---- Sign-in (issue 7). global-setup.ts signs in an admin, an operator and a viewer and saves each
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

// ---- Console errors (issue 13): a page that logs an error, or throws one nobody caught (React's
// hydration error #418 is one), fails the test that showed it, after the test's own steps. A test
// that provokes an error on purpose (a refused sign-in answers 401, which the browser logs) lists it:
//   test.use({ allowedConsoleErrors: [/status of 401/] })
type ConsoleWatch = { watch(context: BrowserContext): void };

export const test = base.extend<{
  nodesPage: NodesPage;
  loginPage: LoginPage;
  userMenu: UserMenu;
  pageAs: (role: E2eRole) => Promise<Page>;
  apiAs: (role: E2eRole) => Promise<APIRequestContext>;
  keepScreenshot: (name: string) => Promise<void>;
  allowedConsoleErrors: RegExp[];
  failOnConsoleErrors: ConsoleWatch;
}>({
  // Signed in as the admin by default (override with test.use({ storageState: ... })).
  storageState: async ({}, use) => use(authState("admin")),
  allowedConsoleErrors: [[], { option: true }],
  failOnConsoleErrors: [
    async ({ context, allowedConsoleErrors }, use, testInfo) => {
      const errors: string[] = [];
      const note = (where: string, text: string) => {
        if (!allowedConsoleErrors.some((re) => re.test(text))) errors.push(`${where}: ${text}`);
      };
      const watch = (c: BrowserContext) => {
        c.on("console", (m) => {
          if (m.type() === "error") note(`console.error on ${m.page()?.url() ?? "?"}`, m.text());
        });
        c.on("weberror", (e) => note(`uncaught on ${e.page()?.url() ?? "?"}`, e.error().message));
      };
      watch(context);
      await use({ watch });
      if (errors.length && testInfo.status === testInfo.expectedStatus) {
        throw new Error(`the browser reported ${errors.length} error(s):\n${errors.join("\n")}`);
      }
    },
    { auto: true },
  ],
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  userMenu: async ({ page }, use) => use(new UserMenu(page)),
  pageAs: async ({ browser, baseURL, failOnConsoleErrors }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async (role) => {
      const context = await browser.newContext({ baseURL, storageState: authState(role) });
      failOnConsoleErrors.watch(context);
      contexts.push(context);
      return context.newPage();
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

// ---- The wizard (issue 4): page objects expose intents; locate by role and label. ----

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
    const status = this.page.locator(`[role=status][data-run-id="${runParam()}"]`);
    await expect(status).toBeVisible();
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

// ---- Health (issue 6) ----
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
    return this.page.locator(`tr[data-node="${nodeName}"]`);
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
