import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-audit-"));
process.env.NODEPREP_DATA_DIR = dataDir;

let database: import("../db").Db;
let q: typeof import("./query");
let t: typeof import("../auth/testing");
let exportRoute: typeof import("@/app/api/audit/export/route");
let listRoute: typeof import("@/app/api/audit/route");

beforeAll(async () => {
  database = (await import("../db")).db();
  q = await import("./query");
  t = await import("../auth/testing");
  exportRoute = await import("@/app/api/audit/export/route");
  listRoute = await import("@/app/api/audit/route");
  const { recordAudit } = await import("./record");
  // Straight SQL, not the nodes repository: this test is about the audit log's join on nodes only.
  const node = { id: "11111111-2222-4333-8444-555555555555" };
  database
    .prepare("INSERT INTO nodes (id, name, address, port, username, auth_method, privilege, practice, created_at, updated_at) VALUES (?, 'web-1', '10.0.0.5', 22, 'ops', 'key', 'root', 0, ?, ?)")
    .run(node.id, new Date().toISOString(), new Date().toISOString());
  recordAudit(database, { actor: "alice", action: "command", nodeId: node.id, stepId: "kernel-modules", command: "=cmd|' /C calc'!A0", exitCode: 0, durationMs: 12, outputBytes: 3 });
  recordAudit(database, { actor: "bob", action: "sign-in-failed", detail: { reason: 'wrong "password"' } });
  for (let i = 0; i < 1200; i++) recordAudit(database, { actor: "system", action: "command", command: `echo ${i}\n<script>alert(1)</script>` });
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("audit queries", () => {
  it("filters by user and by node name or id, newest first, a page at a time", () => {
    expect(q.queryAudit(database, { user: "ALICE", limit: 10 }).entries.map((e) => e.nodeName)).toEqual(["web-1"]);
    expect(q.queryAudit(database, { node: "web-1", limit: 10 }).entries).toHaveLength(1);
    const first = q.queryAudit(database, { user: "system", limit: 500 });
    expect(first.entries).toHaveLength(500);
    expect(first.entries[0].seq).toBeGreaterThan(first.entries[1].seq);
    const second = q.queryAudit(database, { user: "system", limit: 500, before: first.nextBefore! });
    expect(second.entries[0].seq).toBe(first.nextBefore! - 1);
  });
  it("filters by time", () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(q.queryAudit(database, { from: future, limit: 10 }).entries).toHaveLength(0);
    expect(q.queryAudit(database, { to: future, limit: 10 }).entries).toHaveLength(10);
  });
  it("quotes CSV cells and defuses spreadsheet formulas", () => {
    expect(q.csvCell("plain")).toBe("plain");
    expect(q.csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(q.csvCell("=1+1")).toBe(`"'=1+1"`);
    expect(q.csvCell(-1)).toBe("-1");
    expect(q.csvCell("line\nbreak")).toBe('"line\nbreak"');
  });
});

describe("export", () => {
  it("streams every matching entry as JSON Lines, oldest first, across pages", async () => {
    const admin = await t.sessionCookieFor(database, "admin");
    const res = await exportRoute.GET(t.apiRequest("/api/audit/export?format=jsonl&user=system", { cookie: admin }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="nodeprep-audit-.*\.jsonl"$/);
    const lines = (await res.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(1200);
    expect(JSON.parse(lines[0]).command).toBe("echo 0\n<script>alert(1)</script>");
    expect(JSON.parse(lines[1199]).command).toMatch(/^echo 1199\n/);
  });
  it("exports CSV with a header and one record per entry", async () => {
    const admin = await t.sessionCookieFor(database, "admin");
    const res = await exportRoute.GET(t.apiRequest("/api/audit/export?format=csv&user=alice", { cookie: admin }));
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe(q.CSV_COLUMNS.join(","));
    expect(text).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(2);
  });
  it("the list API pages with nextBefore", async () => {
    const admin = await t.sessionCookieFor(database, "admin");
    const res = await listRoute.GET(t.apiRequest("/api/audit?limit=2", { cookie: admin }));
    const page = (await res.json()) as { entries: unknown[]; nextBefore: number | null };
    expect(page.entries).toHaveLength(2);
    expect(page.nextBefore).not.toBeNull();
  });
});
