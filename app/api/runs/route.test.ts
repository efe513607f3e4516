// The trainee's role: a viewer may Check (read and plan) but never Apply.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

process.env.NODEPREP_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-runs-route-"));

const { db } = await import("@/server/db");
const { apiRequest, sessionCookieFor, snapshotDb } = await import("@/server/auth/testing");
const { POST } = await import("./route");

const unknownNode = "5b0e7a3c-6a51-4c5e-9d1f-2a7c1d9e0b11";
let viewer: string;
let operator: string;

beforeAll(async () => {
  viewer = await sessionCookieFor(db(), "viewer");
  operator = await sessionCookieFor(db(), "operator");
});

const post = (cookie: string, mode: "check" | "apply") =>
  POST(apiRequest("/api/runs", { method: "POST", cookie, body: { stepIds: ["kernel-modules"], nodeIds: [unknownNode], mode } }));

describe("POST /api/runs by role", () => {
  it("refuses Apply to a viewer with a 403 that says Check is allowed, storing nothing", async () => {
    const before = snapshotDb(db());
    const res = await post(viewer, "apply");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "forbidden", error: expect.stringMatching(/operator role.*Check is allowed/) });
    expect(snapshotDb(db())).toEqual(before);
  });

  it("lets a viewer Check: the request gets past the role check to the engine", async () => {
    const res = await post(viewer, "check");
    // The node does not exist, so the engine refuses it as input (not as a role question).
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/node/i);
  });

  it("lets an operator Apply past the role check", async () => {
    const res = await post(operator, "apply");
    expect(res.status).toBe(400);
    expect((await res.json()).code).not.toBe("forbidden");
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
    const res = await POST(apiRequest("/api/runs", { method: "POST", cookie: viewer, body: { stepIds: ["kernel-modules"], groupIds: [unknownNode], mode: "check" } }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: "groupIds" });
  });
});
