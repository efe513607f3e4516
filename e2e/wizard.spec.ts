// The wizard's first two steps in a real browser on a fresh practice node: sysctl first is blocked
// and links to step 1; both steps apply with live output and verify with the raw output; a second
// run changes nothing; a node that freezes mid-run fails clearly and the retry succeeds.
import { execOn, getNode, pauseNode, resetNode, resumeNode } from "../lab";
import { badge, expect, wizardTest as test } from "./fixtures";

const NODE_N = Number((process.env.NODEPREP_E2E_NODES ?? "1").split(",")[0]);
const NODE = `practice-${NODE_N}`;

test.describe.configure({ mode: "serial" });

// Start from a fresh node whatever an earlier spec did to it (the e2e run shares its practice nodes).
test.beforeAll(async () => {
  await resetNode(NODE_N);
});

test("sysctl before kernel modules is blocked, with a link to step 1", async ({ wizard, page, keepScreenshot }) => {
  await wizard.open("sysctl");
  await wizard.selectNode(NODE);
  const status = await wizard.run("Check");
  await expect(status).toHaveAttribute("data-state", "failed");
  await expect(status).toContainText("blocked");
  await expect(status).toContainText("br_netfilter module (not loaded");
  const unmet = wizard.verification(NODE).getByRole("list", { name: "Requirements not met" });
  await expect(unmet.getByRole("listitem", { name: "br_netfilter module: fail" })).toBeVisible();
  await expect(unmet).toContainText("$ lsmod | grep -E '^(overlay|br_netfilter) '");
  await keepScreenshot("wizard-sysctl-blocked");
  await status.getByRole("link", { name: "Go to step 1: Kernel modules" }).click();
  await expect(page).toHaveURL(/\/wizard\/kernel-modules\?nodes=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kernel modules");
  await expect(page.getByRole("checkbox", { name: new RegExp(`^${NODE}\\b`) })).toBeChecked();
});

test("both steps from the browser: plan, live output, verification; a second run changes nothing", async ({ wizard, page, apiAs, keepScreenshot }) => {
  // Earlier specs may have run steps on this node too: count only the runs this test starts.
  const api = await apiAs("viewer");
  const runsBefore = ((await (await api.get("/api/runs")).json()) as { runs: unknown[] }).runs.length;
  await wizard.open("kernel-modules");
  await expect(page.getByRole("article", { name: "Explanation" })).toContainText("built into the kernel");
  await wizard.selectNode(NODE);

  // Check: the plan, nothing changed yet; the badge is amber "changes to make", not green "succeeded".
  let status = await wizard.run("Check");
  await expect(status).toContainText("changes to make");
  await expect(badge(status, "changes to make").first()).toBeVisible();
  await expect(badge(status, "succeeded")).toHaveCount(0);
  const plan = wizard.plan(NODE);
  await expect(plan).toContainText("Create /etc/modules-load.d/k8s.conf (mode 644)");
  await expect(plan.getByLabel("File diff")).toContainText("+br_netfilter");
  await expect(plan).toContainText("Run modprobe overlay");
  await expect(plan.getByRole("button", { name: "Copy all" })).toBeVisible();
  // The plan shows the write as it runs: beside the file, then renamed over it (the log shows the same).
  await expect(plan).toContainText("sudo tee /etc/modules-load.d/.k8s.conf.nodeprep > /dev/null <<'EOF'");
  await expect(plan).toContainText("sudo mv -f /etc/modules-load.d/.k8s.conf.nodeprep /etc/modules-load.d/k8s.conf");
  await keepScreenshot("wizard-kernel-modules-plan");

  // Apply, watching the output arrive while the run is still going.
  status = await wizard.run("Apply", {
    whileRunning: async () => {
      await expect(wizard.log(NODE)).toContainText("$ modprobe br_netfilter");
    },
  });
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(status).toContainText("changed and verified");
  await expect(wizard.log(NODE)).toContainText("$ mkdir -p /etc/modules-load.d &&\ntee /etc/modules-load.d/.k8s.conf.nodeprep > /dev/null <<'EOF' &&");
  await expect(wizard.log(NODE)).toContainText("mv -f /etc/modules-load.d/.k8s.conf.nodeprep /etc/modules-load.d/k8s.conf");
  // A pass card shows the host's output as a terminal would: no "(exit 1)" of a grep that found nothing.
  await expect(wizard.rawOutput(NODE, "overlay module")).not.toContainText("(exit");
  await expect(wizard.rawOutput(NODE, "overlay module")).toContainText(/lsmod \| grep -E '\^\(overlay\|br_netfilter\) '[^$]*\soverlay\s+\d+/);
  await expect(wizard.rawOutput(NODE, "br_netfilter module")).toContainText(/br_netfilter\s+\d+\s+0/);
  await expect(wizard.verification(NODE).getByRole("listitem", { name: "modules loaded at boot: ok" })).toBeVisible();
  await keepScreenshot("wizard-kernel-modules-applied");

  // Step 2, reached through the wizard's own link.
  await page.getByRole("link", { name: /Next: step 2, sysctl/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("sysctl");
  status = await wizard.run("Apply", {
    whileRunning: async () => {
      await expect(wizard.log(NODE)).toContainText("$ sysctl --system");
    },
  });
  await expect(status).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.log(NODE)).toContainText("* Applying /etc/sysctl.d/k8s.conf ...");
  const raw = wizard.rawOutput(NODE, "kernel parameters (live)");
  for (const key of ["net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables", "net.ipv4.ip_forward"]) {
    await expect(raw).toContainText(`${key} = 1`);
  }
  const verdicts = wizard.verification(NODE).getByRole("table").first().getByRole("row");
  await expect(verdicts).toHaveCount(4);
  await expect(verdicts.filter({ hasText: "pass" })).toHaveCount(3);
  await keepScreenshot("wizard-sysctl-applied");

  // The step list shows both steps done for this node.
  await expect(wizard.stepLink("Kernel modules")).toContainText(`${NODE}: done`);
  await expect(wizard.stepLink("sysctl")).toContainText(`${NODE}: done`);

  // Again: nothing to do, nothing changed.
  status = await wizard.run("Apply");
  await expect(status).toContainText("already done, nothing changed");
  await expect(wizard.plan(NODE)).toContainText("Already done: nothing to change.");
  await wizard.stepLink("Kernel modules").click();
  await expect(page).toHaveURL(/\/wizard\/kernel-modules\?nodes=[^&]+$/);
  status = await wizard.run("Apply");
  await expect(status).toContainText("already done, nothing changed");
  await expect(wizard.log(NODE)).not.toContainText("$ modprobe");
  await keepScreenshot("wizard-second-run-nothing-changed");

  // The runs page lists them; a run's page has the whole log per node.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
  expect(((await (await api.get("/api/runs")).json()) as { runs: unknown[] }).runs.length - runsBefore).toBe(5);
  // This test's five runs: the Check, each step's Apply that changed the node, and each Apply again.
  const runs = (steps: string, mode: "check" | "apply") =>
    page
      .getByRole("row")
      .filter({ hasText: NODE })
      .filter({ has: page.getByRole("cell", { name: steps, exact: true }) })
      .filter({ has: page.getByRole("cell", { name: mode, exact: true }) });
  await expect(runs("kernel-modules", "check").filter({ hasText: "changes to make" }).first()).toBeVisible();
  for (const steps of ["kernel-modules", "sysctl"]) {
    await expect(runs(steps, "apply").filter({ hasNotText: "nothing changed" }).first()).toBeVisible();
    await expect(runs(steps, "apply").filter({ hasText: "nothing changed" }).first()).toBeVisible();
  }
  // Newest first: the sysctl Apply that changed the node is this test's.
  await runs("sysctl", "apply").filter({ hasNotText: "nothing changed" }).first().getByRole("link").click();
  await expect(page.getByRole("region", { name: `Node ${NODE}` }).getByRole("log")).toContainText("$ sysctl --system");
  await keepScreenshot("run-detail");
});

test("a node whose SSH drops mid-run ends failed with a clear message; the retry succeeds", async ({ wizard, keepScreenshot }) => {
  test.setTimeout(240_000);
  const node = getNode(NODE_N);
  if (!node) throw new Error(`${NODE} is not running`);
  await execOn(node, "sudo -n rm -f /etc/sysctl.d/k8s.conf && sudo -n /sbin/sysctl -qw net.ipv4.ip_forward=0");
  await wizard.open("sysctl");
  await wizard.selectNode(NODE);
  let paused = false;
  try {
    const status = await wizard.run("Apply", {
      whileRunning: async () => {
        await pauseNode(NODE_N);
        paused = true;
      },
    });
    await expect(status).toHaveAttribute("data-state", "failed");
    await expect(status).toContainText(/lost the SSH connection to practice-\d+|did not answer in time/);
    await expect(status).toContainText("run the step again");
    await keepScreenshot("wizard-node-dropped");
  } finally {
    if (paused) await resumeNode(NODE_N);
  }
  const retry = await wizard.run("Apply");
  await expect(retry).toHaveAttribute("data-state", "succeeded");
  await expect(wizard.rawOutput(NODE, "kernel parameters (live)")).toContainText("net.ipv4.ip_forward = 1");
});
