// The health view in a real browser on two practice nodes: node A prepared through the runs API shows
// green for the module and sysctl probes; `modprobe -r br_netfilter` (lab) and a scan turn exactly
// the right cells red, with the raw output and a drift event; the cell's link opens the wizard step
// with the node selected, Apply fixes it, and a scan shows green again with the drift resolved. Node B
// frozen (lab pauseNode) ends "unreachable" while node A's result still lands. Screenshots kept.
import { execOn, getNode, pauseNode, resetNode, resumeNode } from "../lab";
import { expect, healthTest as test } from "./fixtures";

const [A_N, B_N] = (process.env.NODEPREP_E2E_NODES ?? "1,2").split(",").map(Number);
const A = `practice-${A_N}`;
const B = `practice-${B_N}`;
const WIZARD_PROBES = ["overlay module", "br_netfilter module", "modules loaded at boot", "kernel parameters (live)", "parameters set at boot"];

test.describe.configure({ mode: "serial" });

// Fresh nodes whatever an earlier spec did to them (ending.spec prepares node A completely).
test.beforeAll(async () => {
  await Promise.all([resetNode(A_N), ...(B_N === undefined ? [] : [resetNode(B_N)])]);
});

test("a prepared node is green; broken it turns the right cells red with raw output and drift; the wizard link fixes it", async ({
  health,
  wizard,
  page,
  apiAs,
  keepScreenshot,
}) => {
  if (B_N === undefined) throw new Error("the health spec needs two practice nodes: NODEPREP_E2E_NODES=51,52");
  const api = await apiAs("operator");
  const nodes = (await (await api.get("/api/nodes")).json()) as { nodes: { id: string; name: string }[] };
  const a = nodes.nodes.find((n) => n.name === A)!;
  const started = await api.post("/api/runs", { data: { stepIds: ["kernel-modules", "sysctl"], nodeIds: [a.id], mode: "apply" } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  await expect
    .poll(async () => ((await (await api.get(`/api/runs/${runId}`)).json()) as { run: { status: string } }).run.status, { timeout: 120_000 })
    .toBe("succeeded");

  await health.open();
  await health.scan();
  for (const probe of WIZARD_PROBES) await expect(health.cell(A, probe)).toHaveAttribute("data-state", "ok");
  await expect(health.cell(A, "swap off")).toHaveAttribute("data-state", "ok");
  await expect(health.cell(A, "cgroup version")).toHaveAttribute("data-state", "ok");
  await expect(health.cell(B, "br_netfilter module")).toHaveAttribute("data-state", "fail"); // B was never prepared
  // Not ready yet: the runtime probes (containerd, runc, CNI ...) need the wizard's later steps.
  await expect(health.readyCount()).toHaveText("0 ready of 2");
  // The tooltip: observed vs expected, by keyboard focus.
  await health.cell(A, "kernel parameters (live)").focus();
  await expect(page.getByRole("tooltip")).toContainText("expected net.bridge.bridge-nf-call-iptables = 1");
  await keepScreenshot("health-prepared");
  // No step changes the cgroup version: the cell's help says what v1 and v2 are, how to switch, why not casually.
  await health.cell(A, "cgroup version").click();
  const cgroup = health.detail(A, "cgroup version");
  await cgroup.getByText("About this check: cgroup version").click();
  const help = cgroup.getByRole("article", { name: "About cgroup version" });
  await expect(help).toContainText("cgroup v1 and cgroup v2");
  await expect(help).toContainText("systemd.unified_cgroup_hierarchy=1");
  await expect(help).toContainText("Why not casually");
  await keepScreenshot("health-cgroup-help");

  // Break it through the lab.
  const node = getNode(A_N)!;
  expect((await execOn(node, "sudo -n /sbin/modprobe -r br_netfilter && echo removed")).stdout).toContain("removed");
  await health.scan();
  await expect(health.cell(A, "br_netfilter module")).toHaveAttribute("data-state", "fail");
  await expect(health.cell(A, "kernel parameters (live)")).toHaveAttribute("data-state", "fail");
  for (const probe of ["overlay module", "modules loaded at boot", "parameters set at boot"]) await expect(health.cell(A, probe)).toHaveAttribute("data-state", "ok");

  await health.cell(A, "kernel parameters (live)").click();
  const sysctlDetail = health.detail(A, "kernel parameters (live)");
  await expect(sysctlDetail.getByLabel("Raw output of kernel parameters (live)")).toContainText(
    "sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory",
  );
  await expect(sysctlDetail).toContainText("$ sysctl net.bridge.bridge-nf-call-iptables");
  const drift = health.drift().getByRole("listitem").filter({ hasText: `br_netfilter module on ${A}` });
  await expect(drift).toContainText("failing since");
  await expect(drift).toContainText("open");
  await expect(health.drift().getByRole("listitem").filter({ hasText: `kernel parameters (live) on ${A}` })).toBeVisible();
  await keepScreenshot("health-drift");

  // Fix it from the linked wizard step, the node pre-selected.
  await health.cell(A, "br_netfilter module").click();
  await health.detail(A, "br_netfilter module").getByRole("link", { name: `Fix it in the wizard: step kernel-modules for ${A}` }).click();
  await expect(page).toHaveURL(new RegExp(`/wizard/kernel-modules\\?nodes=${a.id}`));
  await expect(page.getByRole("checkbox", { name: new RegExp(`^${A}\\b`) })).toBeChecked();
  const status = await wizard.run("Apply");
  await expect(status).toHaveAttribute("data-state", "succeeded");

  await health.open();
  await health.scan();
  for (const probe of WIZARD_PROBES) await expect(health.cell(A, probe)).toHaveAttribute("data-state", "ok");
  await expect(drift).toContainText("resolved at");
  // Resolved: the bad value is what it was, next to what it is now.
  await expect(drift).toContainText(/was: not loaded, now: loaded \(lsmod: size \d+/);
  await keepScreenshot("health-fixed");

  // Keyboard: one tab stop in the matrix, arrows move between cells, Enter opens one.
  await health.cell(A, "overlay module").focus();
  await page.keyboard.press("ArrowRight");
  await expect(health.cell(A, "br_netfilter module")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(health.detail(A, "br_netfilter module").getByLabel("Raw output of br_netfilter module").first()).toContainText(/br_netfilter\s+\d+/);

  // Node B did not change across these scans: lsmod did not run again, and its output says when it ran.
  await health.cell(B, "br_netfilter module").click();
  await expect(health.detail(B, "br_netfilter module").getByTestId("reused-output").first()).toContainText("not run again");
  await keepScreenshot("health-reused-output");
  await health.scan({ button: "Re-run every command" });
  await health.cell(B, "br_netfilter module").click();
  await expect(health.detail(B, "br_netfilter module").getByLabel("Raw output of br_netfilter module").first()).toBeVisible();
  await expect(health.detail(B, "br_netfilter module").getByTestId("reused-output")).toHaveCount(0);

  // The node page: the runtime stack lit by status, facts, drift and the health history.
  await health.row(A).getByRole("link", { name: A }).click();
  await expect(page.getByRole("heading", { name: A, level: 1 })).toBeVisible();
  const stack = page.getByRole("list", { name: "Runtime stack" });
  await expect(stack.getByRole("listitem", { name: "Kernel modules: ok", exact: true })).toBeVisible();
  await expect(stack.getByRole("listitem", { name: "Kernel parameters (sysctl): ok", exact: true })).toBeVisible();
  await expect(stack.getByRole("listitem", { name: "containerd: failing", exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Checks of this node, newest first" }).getByRole("row")).toHaveCount(5); // header + the 4 scans above
  await expect(page.getByRole("list", { name: "Drift events" }).getByRole("listitem")).toHaveCount(2);
  await page.getByRole("button", { name: "Gather facts" }).click();
  await expect(page.getByRole("region", { name: "Facts" })).toContainText("Debian GNU/Linux 12");
  await keepScreenshot("health-node");

  // B was only ever scanned (no connection test, no run): its node page knows it anyway.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Nodes" }).click();
  await page.getByRole("link", { name: B, exact: true }).click();
  await expect(page.getByRole("heading", { name: B, level: 1 })).toBeVisible();
  await expect(page.getByText("reachable", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Host facts" })).toContainText(`Host name${B}`);
  await keepScreenshot("node-facts-after-scans");
});

test("a frozen node shows unreachable while the other node still updates", async ({ health, page, keepScreenshot }) => {
  if (B_N === undefined) throw new Error("the health spec needs two practice nodes: NODEPREP_E2E_NODES=51,52");
  await health.open();
  await pauseNode(B_N);
  try {
    await health.scan({
      whileRunning: async () => {
        // A's check lands and is shown while B is still pending.
        await expect(health.scanStatus()).toContainText(`Scanning: 1 of 2 nodes done. ${B} `);
        await expect(health.row(B).getByTestId("scan-progress")).toBeVisible();
        await keepScreenshot("health-scanning-one-node-silent");
      },
    });
  } finally {
    await resumeNode(B_N);
  }
  await expect(health.cell(B, "swap off")).toHaveAttribute("data-state", "unreachable");
  await expect(health.row(B)).toContainText("unreachable");
  await expect(health.cell(A, "cgroup version")).toHaveAttribute("data-state", "ok");
  await expect(health.row(A)).not.toContainText("unreachable");
  await health.cell(B, "swap off").click();
  await expect(health.detail(B, "swap off")).toContainText(`${B} did not answer within 20 s`);
  await expect(page.getByRole("status", { name: "Readiness summary" })).toContainText("1 unreachable");
  await keepScreenshot("health-unreachable");
});
