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
