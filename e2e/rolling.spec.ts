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

// The canary batch: two nodes nobody answers for (nothing runs on a practice node), batches of
// 1, stop after 2 failures, canary first. The canary fails below the threshold, so the rollout waits for
// Continue: the wizard shows why and the button; Continue runs batch 2. Then the same from the run view,
// and a pause between batches that the run view counts down.
test("a canary batch waits for Continue, in the wizard and in the run view; Continue runs the next batch", async ({ page, wizard, apiAs, keepScreenshot }) => {
  const api = await apiAs("admin");
  const names = ["canary-e2e-refused-1", "canary-e2e-refused-2"];
  const nodes = (await (await api.get("/api/nodes")).json()) as { nodes: { id: string; name: string }[] };
  for (const n of nodes.nodes.filter((x) => names.includes(x.name))) await api.delete(`/api/nodes/${n.id}`);
  const ids: string[] = [];
  try {
    for (const name of names) {
      const created = await api.post("/api/nodes", {
        data: { name, address: "127.0.0.1", port: 1, username: "nobody", auth: { method: "password", password: "not-a-real-one" }, privilege: { kind: "sudo-nopasswd" } },
      });
      expect(created.status()).toBe(201);
      ids.push(((await created.json()) as { node: { id: string } }).node.id);
    }
    await wizard.open("kernel-modules", ids);
    const rolling = page.getByRole("group", { name: "Rolling Apply" });
    await rolling.getByRole("checkbox", { name: "Rolling:" }).check();
    await rolling.getByLabel("batches of").fill("1");
    await rolling.getByLabel("stop after").fill("2");
    await rolling.getByRole("checkbox", { name: "canary first batch (waits for Continue)" }).check();
    await rolling.getByLabel("pause").fill("5000");
    await expect(rolling.getByRole("alert")).toContainText("the pause between batches must be a whole number of seconds from 0 to 3600");
    await rolling.getByLabel("pause").fill("");
    await expect(rolling).toContainText("a canary batch of 1 node that waits for Continue, then batches of 1 (2 batches in all), stop after 2 failures");
    await keepScreenshot("rolling-canary-control");

    const status = await wizard.run("Apply", {
      whileRunning: async () => {
        const waiting = wizard.runStatus().getByRole("region", { name: "Rollout waiting" });
        await expect(waiting).toContainText("waiting for Continue after the canary batch: 0 of 1 node ok", { timeout: 60_000 });
        await keepScreenshot("rolling-canary-wizard-waiting");
        await waiting.getByRole("button", { name: "Continue rollout" }).click();
      },
    });
    await expect(status).toHaveAttribute("data-state", "failed");
    await expect(status).toContainText("2 of 2 nodes did not finish");
    await expect(status.getByRole("region", { name: "Rollout waiting" })).toHaveCount(0);

    // The run view: a run started through the API, continued with its button.
    const started = await api.post("/api/runs", { data: { stepIds: ["kernel-modules"], nodeIds: ids, mode: "apply", rolling: { batch: 1, stopAfter: 2, canary: true } } });
    expect(started.status()).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    await page.goto(`/runs/${runId}`);
    const waiting = page.getByRole("region", { name: "Rollout waiting" });
    await expect(waiting).toContainText("waiting for Continue after the canary batch: 0 of 1 node ok", { timeout: 60_000 });
    await expect(page.getByRole("status", { name: "Run status" })).toContainText("waiting for Continue");
    await keepScreenshot("rolling-canary-run-view-waiting");
    await waiting.getByRole("button", { name: "Continue rollout" }).click();
    await expect(page.getByRole("status", { name: "Run status" })).toContainText("2 of 2 nodes did not finish", { timeout: 60_000 });
    await expect(waiting).toHaveCount(0);
    await keepScreenshot("rolling-canary-run-view-continued");

    // A pause between batches: the run view counts down to the next batch; Continue now cuts it short.
    const paused = await api.post("/api/runs", { data: { stepIds: ["kernel-modules"], nodeIds: ids, mode: "apply", rolling: { batch: 1, stopAfter: 2, pauseSeconds: 600 } } });
    expect(paused.status()).toBe(202);
    await page.goto(`/runs/${((await paused.json()) as { runId: string }).runId}`);
    await expect(waiting).toContainText(/batch 1 of 2 done; next batch in \d+ s/, { timeout: 60_000 });
    await expect(page.getByRole("status", { name: "Run status" })).toContainText("pausing");
    await keepScreenshot("rolling-pause-run-view");
    await waiting.getByRole("button", { name: "Continue now" }).click();
    await expect(page.getByRole("status", { name: "Run status" })).toContainText("2 of 2 nodes did not finish", { timeout: 60_000 });
  } finally {
    for (const id of ids) await api.delete(`/api/nodes/${id}`);
  }
});
