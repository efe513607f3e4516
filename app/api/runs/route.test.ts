// The trainee's role: a viewer may Check (read and plan) but never Apply.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

process.env.NODEPREP_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-runs-route-"));

const { db } = await import("@/server/db");
const { apiRequest, sessionCookieFor, snapshotDb } = await import("@/server/auth/testing");
const { insertNode } = await import("@/server/nodes/repository");
const { getRun } = await import("@/server/runs/repository");
const { POST } = await import("./route");

let viewer: string;
let operator: string;
let nodeId: string;

beforeAll(async () => {
  viewer = await sessionCookieFor(db(), "viewer");
  operator = await sessionCookieFor(db(), "operator");
  // A node with no credentials stored: a run that starts on it ends at once (nothing is reached).
  nodeId = insertNode(db(), { name: "nowhere", address: "127.0.0.1", port: 1, username: "ops", authMethod: "password", privilege: "root", practice: false }).id;
});

const post = (cookie: string, mode: "check" | "apply") =>
  POST(apiRequest("/api/runs", { method: "POST", cookie, body: { stepIds: ["kernel-modules"], nodeIds: [nodeId], mode } }));

/** The run the answer names, once it has ended (the engine runs it in the background). */
async function ended(res: Response) {
  const { runId } = await res.json();
  const deadline = Date.now() + 10_000;
  for (let run = getRun(db(), runId); run; run = getRun(db(), runId)) {
    if (run.status !== "running") return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still running after 10 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no run ${runId}`);
}

describe("POST /api/runs by role", () => {
  it("refuses Apply to a viewer with a 403 that says Check is allowed, storing nothing", async () => {
    const before = snapshotDb(db());
    const res = await post(viewer, "apply");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "forbidden", error: expect.stringMatching(/operator role.*Check is allowed/) });
    expect(snapshotDb(db())).toEqual(before);
  });

  it("lets a viewer Check: the run is accepted and recorded as the viewer's Check", async () => {
    const res = await post(viewer, "check");
    expect(res.status).toBe(202);
    expect(await ended(res)).toMatchObject({ mode: "check", actor: "test-viewer" });
  });

  it("lets an operator Apply: the run is accepted and recorded as the operator's Apply", async () => {
    const res = await post(operator, "apply");
    expect(res.status).toBe(202);
    expect(await ended(res)).toMatchObject({ mode: "apply", actor: "test-operator" });
  });
});

describe("POST /api/runs by group", () => {
  it("runs on every node of the groups (children included), each once, and records them", async () => {
    const { insertNode } = await import("@/server/nodes/repository");
    const { createGroup } = await import("@/server/groups/service");
    const { getRun } = await import("@/server/runs/repository");
    // Nodes nobody can reach (TEST-NET): the run is recorded with them before it fails to connect.
    const ids = ["g-a", "g-b", "g-c"].map((name) => insertNode(db(), { name, address: "192.0.2.1", port: 22, username: "ops", authMethod: "dashboard-key", privilege: "root", practice: false }).id);
    const web = createGroup(db(), { name: "webrun", nodeIds: [ids[0], ids[1]], childIds: [] }, "t");
    const prod = createGroup(db(), { name: "prodrun", nodeIds: [ids[1]], childIds: [web.id] }, "t");
    const res = await POST(apiRequest("/api/runs", { method: "POST", cookie: viewer, body: { stepIds: ["kernel-modules"], nodeIds: [ids[2]], groupIds: [prod.id], mode: "check" } }));
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect(getRun(db(), runId)!.nodes.map((n) => n.name).sort()).toEqual(["g-a", "g-b", "g-c"]);
    const { engine } = await import("@/server/runs");
    engine().cancel(runId, "test");
    await engine().idle();
  });

  it("refuses an unknown group, naming the field", async () => {
    const res = await POST(apiRequest("/api/runs", { method: "POST", cookie: viewer, body: { stepIds: ["kernel-modules"], groupIds: ["5b0e7a3c-6a51-4c5e-9d1f-2a7c1d9e0b11"], mode: "check" } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: "groupIds" });
  });
});
