// A rolling Apply from the wizard: two nodes, batches of 1, stop after 1 failure. The first
// batch is a node nobody answers for (a refused loopback port), so the rollout stops there and the
// practice node in batch 2 is recorded as not started, in the wizard and in the run view. Nothing runs
// on the practice node; the refused node is removed at the end.
import { expect, wizardTest as test } from "./fixtures";

const [A_N] = (process.env.NODEPREP_E2E_NODES ?? "1,2").split(",").map(Number);
const A = `practice-${A_N}`;
const DEAD = "rolling-e2e-refused";

test("a rolling Apply stops after the failed batch and says why; the next batch's node is not started", async ({ page, wizard, apiAs, keepScreenshot }) => {
  const api = await apiAs("admin");
  const nodes = (await (await api.get("/api/nodes")).json()) as { nodes: { id: string; name: string }[] };
  for (const n of nodes.nodes.filter((x) => x.name === DEAD)) await api.delete(`/api/nodes/${n.id}`);
  const a = nodes.nodes.find((n) => n.name === A)!;
  const created = await api.post("/api/nodes", {
    data: { name: DEAD, address: "127.0.0.1", port: 1, username: "nobody", auth: { method: "password", password: "not-a-real-one" }, privilege: { kind: "sudo-nopasswd" } },
  });
  expect(created.status()).toBe(201);
  const dead = ((await created.json()) as { node: { id: string } }).node;
  try {
    await wizard.open("kernel-modules", [dead.id, a.id]);
    const rolling = page.getByRole("group", { name: "Rolling Apply" });
    await rolling.getByRole("checkbox", { name: "Rolling:" }).check();
    await rolling.getByLabel("batches of").fill("0");
    await expect(rolling.getByRole("alert")).toContainText("the batch size must be a whole number of nodes from 1 to 1000");
    await expect(page.getByRole("button", { name: "Apply", exact: true })).toBeDisabled();
    await rolling.getByLabel("batches of").fill("1");
    await rolling.getByLabel("stop after").fill("1");
    await expect(rolling).toContainText("Apply on 2 nodes in batches of 1 (2 batches), stop after 1 failure.");
    await keepScreenshot("rolling-wizard-control");

    const status = await wizard.run("Apply");
    await expect(status).toHaveAttribute("data-state", "failed");
    await expect(status).toContainText("rollout stopped after batch 1 of 2: 1 of 1 node failed, the limit is 1; 1 node not started");
    const second = status.getByRole("listitem").filter({ hasText: A });
    await expect(second).toContainText("batch 2");
    await expect(second).toContainText("not started (stopped after batch 1 of 2");
    await expect(wizard.log(A)).toContainText("not started: nothing was run on this node");
    await keepScreenshot("rolling-wizard-stopped");

    await status.getByRole("link", { name: "run details" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "rollout stopped after batch 1 of 2: 1 of 1 node failed" })).toContainText("Nothing was run on the node marked not started.");
    await expect(page.getByLabel("Rollout")).toContainText("Rolling Apply: batches of 1 (2 batches), stop after 1 failure");
    const section = page.getByRole("region", { name: `Node ${A}` });
    await expect(section).toContainText("batch 2");
    await expect(section).toContainText("not started");
    // Nothing ran there: no log for it at all.
    await expect(section.getByRole("log")).toHaveCount(0);
    await keepScreenshot("rolling-run-view");
  } finally {
    await api.delete(`/api/nodes/${dead.id}`);
  }
});
