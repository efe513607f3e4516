// Training in a real browser (and chapter 0's self-check): the Practice page resets
// a node with its phases shown; an admin creates a trainee and gives them practice-1; the trainee signs
// in, sees only that node (and gets 403 for another's health), reads chapter 0 and answers its
// self-check, starts scenario 3, finds the fault with the health view, fixes it with the wizard's
// sysctl step and passes "Check my work"; the trainer's table shows "passed" with the time and the
// self-check score. Screenshots of each page are kept and looked at.
import path from "node:path";
import type { Page } from "@playwright/test";
import { ARTIFACTS_DIR, expect, HealthPage, LoginPage, SIGNED_OUT, test, WizardPage } from "./fixtures";

const [A_N, B_N] = (process.env.NODEPREP_E2E_NODES ?? "1,2").split(",").map(Number);
const NODE = `practice-${A_N}`;
const OTHER = B_N === undefined ? null : `practice-${B_N}`;
const TRAINEE = { name: `e2e-trainee-${Date.now().toString(36)}`, password: "a-long-trainee-password" };

test.describe.configure({ mode: "serial" });

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });

test("the Practice page shows state, memory and SSH address, and resets a node with its phases", async ({ page, keepScreenshot }) => {
  await page.goto("/practice");
  await expect(page.getByRole("heading", { name: "Practice nodes" })).toBeVisible();
  const row = page.locator(`tr[data-node="${OTHER ?? NODE}"]`);
  await expect(row.getByTestId("practice-state")).toHaveText(/running/);
  await expect(row).toContainText(/prep@127\.0\.0\.1 -p \d+/);
  await expect(row).toContainText(/QEMU holds \d+\.\d GiB/);
  await expect(page.getByTestId("practice-limit")).toContainText(/of at most \d+ running/);
  await row.getByRole("button", { name: `Reset ${OTHER ?? NODE}` }).click();
  const op = page.getByRole("status", { name: `Reset of ${OTHER ?? NODE}` });
  await expect(op).toBeVisible();
  await expect(op.getByRole("list", { name: `Reset of ${OTHER ?? NODE}: phases` })).toContainText("restoring the snapshot");
  await expect(op).toHaveAttribute("data-state", "succeeded", { timeout: 120_000 });
  await expect(op).toContainText(`${OTHER ?? NODE} is ready`);
  await expect(row.getByTestId("practice-state")).toHaveText(/running/);
  await keepScreenshot("practice-page");
});

test("an admin creates a trainee with a practice node; the trainee sees only it, fixes scenario 3, and the trainer's table shows it", async ({ page, browser, baseURL, apiAs, keepScreenshot }) => {
  test.setTimeout(600_000);
  // The admin adds the trainee and gives them practice-1.
  await page.goto("/training/trainees");
  const form = page.getByRole("form", { name: "Add a trainee" });
  await form.getByLabel("Name").fill(TRAINEE.name);
  await form.getByLabel("Password").fill(TRAINEE.password);
  await form.getByLabel("Practice node").selectOption({ label: NODE });
  await form.getByRole("button", { name: "Add trainee" }).click();
  await expect(form.getByRole("status")).toHaveText(`Added ${TRAINEE.name} with ${NODE}.`);
  await expect(page.getByLabel(`Practice node of ${TRAINEE.name}`)).toHaveValue(/[0-9a-f-]{36}/);

  // The trainee signs in, in a browser of their own.
  const context = await browser.newContext({ baseURL, storageState: SIGNED_OUT });
  const t = await context.newPage();
  const login = new LoginPage(t);
  await login.open("/training");
  await login.signIn(TRAINEE.name, TRAINEE.password);
  await expect(t.getByRole("heading", { name: "Training", level: 1 })).toBeVisible();
  await expect(t.getByTestId("my-practice-node")).toContainText(`Your practice node: ${NODE}`);
  await expect(t.getByRole("link", { name: /^Scenario \d+: / })).toHaveCount(10);
  await shot(t, "training-home");
  const nav = t.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);

  // Only their node, everywhere; another node's health is refused.
  await t.goto("/nodes");
  const rows = t.getByRole("table", { name: "Hosts" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(NODE);
  await expect(t.getByRole("link", { name: "Add node" })).toHaveCount(0);
  if (OTHER) {
    const all = (await (await (await apiAs("admin")).get("/api/nodes")).json()) as { nodes: { id: string; name: string }[] };
    const other = all.nodes.find((n) => n.name === OTHER)!;
    const refused = await t.request.get(`/api/health/nodes/${other.id}`);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("forbidden");
  }

  // Chapter 0 before step 1, with its self-check.
  await t.goto("/wizard/kernel-modules");
  await t.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /Choosing a container runtime/ }).click();
  await expect(t.getByRole("heading", { level: 1 })).toHaveText("Chapter 0: choosing a container runtime");
  await expect(t.getByRole("article", { name: "Chapter" }).getByRole("link", { name: "Dockershim removal FAQ" }).first()).toHaveAttribute("href", "https://kubernetes.io/blog/2022/02/17/dockershim-faq/");
  const check = t.getByRole("form", { name: "Self-check: Chapter 0: choosing a container runtime" });
  await check.getByRole("radio", { name: /It asks the container runtime over the CRI/ }).check();
  await check.getByRole("radio", { name: /cri-dockerd, an adapter/ }).check();
  await check.getByRole("radio", { name: /Install the CNI plugins and make sure/ }).check();
  await check.getByRole("radio", { name: "uname -r", exact: true }).check(); // wrong on purpose: explained
  await check.getByRole("button", { name: "Check my answers" }).click();
  await expect(t.getByRole("status", { name: "Self-check result" })).toContainText("3 of 4 right");
  await expect(check.getByLabel("Answer to question 4")).toContainText("Not quite.");
  await expect(check.getByLabel("Answer to question 4")).toContainText("The answer: cgroup2fs means the unified v2 hierarchy");
  await expect(check.getByLabel("Answer to question 1")).toContainText("Right.");
  await shot(t, "chapter-0-self-check");

  // Scenario 3: start it on their node.
  await t.goto("/training");
  await t.getByRole("link", { name: /^Scenario 3: / }).click();
  await expect(t.getByRole("heading", { level: 1 })).toHaveText("ip_forward is 1 in k8s.conf, and 0 on the node");
  await t.getByRole("button", { name: "Start the scenario" }).click();
  const setup = t.getByRole("status", { name: "Setting up the scenario" });
  await expect(setup.getByRole("list", { name: "Setting up the scenario: phases" })).toContainText(`resetting ${NODE} from its snapshot`);
  await expect(setup).toHaveAttribute("data-state", "succeeded", { timeout: 120_000 });
  const first = t.getByRole("region", { name: "First check, right after the fault" });
  await expect(first.getByRole("listitem", { name: "kernel parameters (live): fail" })).toBeVisible();
  await expect(first.getByLabel("Raw output of parameters at boot (every sysctl.d file)")).toContainText("network-hardening.conf:net.ipv4.ip_forward = 0");
  // One hint, counted.
  await t.getByRole("button", { name: "Show a hint (1 of 3)" }).click();
  await expect(t.getByRole("list", { name: "Hints" }).getByRole("listitem")).toHaveCount(1);
  await expect(t.getByRole("article", { name: "Hint 1" })).toContainText("Open the health view for your node");
  await expect(t.getByRole("button", { name: "Show a hint (2 of 3)" })).toBeVisible();
  await shot(t, "scenario-in-progress");

  // Find it with the health view.
  const health = new HealthPage(t);
  await health.open();
  await health.scan();
  await expect(t.locator("tr[data-node]")).toHaveCount(1);
  await expect(health.cell(NODE, "kernel parameters (live)")).toHaveAttribute("data-state", "fail");
  await health.cell(NODE, "parameters at boot (every sysctl.d file)").click();
  await expect(health.detail(NODE, "parameters at boot (every sysctl.d file)")).toContainText("/etc/sysctl.d/network-hardening.conf sets net.ipv4.ip_forward = 0");
  await shot(t, "scenario-health-view");

  // Fix it with the wizard's sysctl step: Check shows the plan, Apply fixes it.
  const wizard = new WizardPage(t);
  await wizard.open("sysctl");
  await expect(t.getByRole("checkbox")).toHaveCount(1);
  await wizard.selectNode(NODE);
  let status = await wizard.run("Check");
  await expect(wizard.plan(NODE)).toContainText("/etc/sysctl.d/network-hardening.conf sets net.ipv4.ip_forward = 0 and is applied after /etc/sysctl.d/k8s.conf");
  status = await wizard.run("Apply");
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.verification(NODE).getByRole("listitem", { name: "parameters at boot (every sysctl.d file): ok" })).toBeVisible();

  // "Check my work": passed, with the time.
  await t.goto("/training/scenarios/sysctl-overridden");
  await t.getByRole("button", { name: "Check my work" }).click();
  await expect(t.getByRole("status", { name: "Checking your work" })).toHaveAttribute("data-state", "succeeded", { timeout: 120_000 });
  await expect(t.getByRole("status", { name: "Result" })).toContainText(/Passed in \d+/);
  await expect(t.getByRole("region", { name: "Last check" }).getByRole("listitem", { name: "parameters at boot (every sysctl.d file): ok" })).toBeVisible();
  await shot(t, "scenario-passed");
  await context.close();

  // The trainer's table: passed with the time, and the self-check score.
  await page.goto("/training/trainees");
  await expect(page.getByRole("cell", { name: new RegExp(`^${TRAINEE.name}, scenario 3: passed in \\d+[^,]*, 1 attempt, 1 check, 1 hint;`) })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("cell", { name: `${TRAINEE.name}, Chapter 0: choosing a container runtime: 3 of 4` })).toBeVisible();
  await expect(page.getByRole("cell", { name: new RegExp(`^${TRAINEE.name}, scenario 1: not started`) })).toBeVisible();
  const csv = await (await apiAs("admin")).get("/api/training/progress/export?format=csv");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toMatch(new RegExp(`"${TRAINEE.name}","${NODE}","scenario","sysctl-overridden","3\\. [^"]+","passed","\\d+","1"`));
  await keepScreenshot("trainer-table");
});
