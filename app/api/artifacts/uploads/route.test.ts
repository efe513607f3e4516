// An upload announced bigger than the dashboard accepts is 413 (too large), not 502 (a failed download).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

process.env.NODEPREP_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-uploads-route-"));

const { db } = await import("@/server/db");
const { apiRequest, sessionCookieFor, snapshotDb } = await import("@/server/auth/testing");
const { POST } = await import("./route");

let operator: string;
beforeAll(async () => {
  operator = await sessionCookieFor(db(), "operator");
});

describe("POST /api/artifacts/uploads", () => {
  it("answers 413 to a declared size over the limit, storing nothing", async () => {
    const before = snapshotDb(db());
    const res = await POST(apiRequest("/api/artifacts/uploads", { method: "POST", cookie: operator, body: { artifactId: "runc@1.3.4:amd64", size: 10 * 1024 ** 3 } }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "too_large", error: expect.stringContaining("10737418240 bytes were announced") });
    expect(snapshotDb(db())).toEqual(before);
    expect(fs.existsSync(path.join(process.env.NODEPREP_DATA_DIR!, "artifacts", ".uploads"))).toBe(false);
  });
});
