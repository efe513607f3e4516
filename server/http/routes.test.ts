// Table-driven tests over EVERY API route (issue 7). Routes are discovered from app/api/**/route.ts,
// so a new route fails here until it has an entry in ROUTES below saying who may call it and which
// malformed inputs it must refuse. Handlers are called in-process on a temporary database.
//
// For each route and method:
//   - it is built with route() and declares the role the table expects;
//   - without a session -> 401; with each role below the least one -> 403 (unless public);
//   - a mutating method from another Origin -> 403, even for an admin; a declared 5 MB body -> 413;
//   - malformed bodies / query strings -> 400 naming the field;
//   - and after all of that the database is exactly as it was (nothing stored).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-routes-"));
process.env.NODEPREP_DATA_DIR = dataDir;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Access = "public" | "viewer" | "operator" | "admin";
const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const ROLE_ORDER = ["viewer", "operator", "admin"] as const;

interface Bad {
  /** What is wrong, for the test's name. */
  why: string;
  /** A JSON-able value, or a raw string sent as is. */
  body?: unknown;
  /** A query string (without '?'). */
  query?: string;
  /** Path segments instead of the entry's valid ones. */
  params?: Record<string, string>;
  /** The field the 400 must name (a prefix of the answer's `field`). */
  field?: string;
}

interface MethodEntry {
  role: Access;
  /** Values for the [segments] of the path; a random uuid by default. */
  params?: Record<string, string>;
  /** Malformed inputs that must get a 400; required when the route parses a body or a query. */
  bad?: Bad[];
}

const HUGE = "x".repeat(200_000);
const uuid = "5b0e7a3c-6a51-4c5e-9d1f-2a7c1d9e0b11";

/** Cases every route with a JSON body gets, whatever its schema. */
const GENERIC_BAD_BODIES: Bad[] = [
  { why: "no body", body: undefined },
  { why: "not JSON", body: "{not json" },
  { why: "a JSON array", body: "[]" },
  { why: "a JSON string", body: '"hello"' },
];

/** A node body that passes validation, to vary one field at a time. */
const GOOD_NODE = {
  name: "web-1",
  address: "10.0.0.5",
  port: 22,
  username: "ops",
  auth: { method: "password", password: "not-a-real-one" },
  privilege: { kind: "sudo-nopasswd" },
};

const ROUTES: Record<string, Partial<Record<Method, MethodEntry>>> = {
  "/api/nodes": {
    GET: { role: "viewer" },
    POST: {
      role: "admin",
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "fields missing", body: {}, field: "name" },
        { why: "$(reboot) as the address", body: { ...GOOD_NODE, address: "$(reboot)" }, field: "address" },
        { why: "backticks in the name", body: { ...GOOD_NODE, name: "`id`" }, field: "name" },
        { why: "; in the user", body: { ...GOOD_NODE, username: "ops;reboot" }, field: "username" },
        { why: "port out of range", body: { ...GOOD_NODE, port: 70000 }, field: "port" },
        { why: "port a string", body: { ...GOOD_NODE, port: "twenty-two" }, field: "port" },
        { why: "huge address", body: { ...GOOD_NODE, address: HUGE }, field: "address" },
        { why: "unknown auth method", body: { ...GOOD_NODE, auth: { method: "telnet" } }, field: "auth" },
        { why: "not a private key", body: { ...GOOD_NODE, auth: { method: "key", privateKey: "hello" } }, field: "auth" },
        { why: "password auth without the password", body: { ...GOOD_NODE, auth: { method: "password" } }, field: "auth" },
        { why: "sudo password missing", body: { ...GOOD_NODE, privilege: { kind: "sudo-password" } }, field: "privilege" },
      ],
    },
  },
  "/api/nodes/[id]": {
    GET: { role: "viewer", bad: [{ why: "$(reboot) as the node id", params: { id: "$(reboot)" }, field: "id" }] },
    PATCH: {
      role: "admin",
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "; in the user", body: { ...GOOD_NODE, username: "a;b" }, field: "username" },
        { why: "newline in the address", body: { ...GOOD_NODE, address: "host\nreboot" }, field: "address" },
        { why: "not a node id", params: { id: "../../etc/passwd" }, body: GOOD_NODE, field: "id" },
      ],
    },
    DELETE: { role: "admin", bad: [{ why: "not a node id", params: { id: "x;reboot" }, field: "id" }] },
  },
  "/api/nodes/[id]/facts": { POST: { role: "operator", bad: [{ why: "not a node id", params: { id: "`id`" }, field: "id" }] } },
  "/api/nodes/[id]/report": {
    GET: {
      role: "viewer",
      bad: [
        { why: "not a node id", params: { id: "$(reboot)" }, field: "id" },
        { why: "an unknown format", query: "format=pdf", field: "format" },
        { why: "an unknown query field", query: "format=md&x=1" },
      ],
    },
  },
  "/api/nodes/[id]/test": { POST: { role: "operator", bad: [{ why: "not a node id", params: { id: "$(reboot)" }, field: "id" }] } },
  "/api/nodes/[id]/host-key": {
    POST: {
      role: "admin",
      bad: [
        ...GENERIC_BAD_BODIES,
        { why: "unknown action", body: { action: "ignore", fingerprint: `SHA256:${"A".repeat(43)}` }, field: "action" },
        { why: "not a fingerprint", body: { action: "trust", fingerprint: "MD5:aa:bb" }, field: "fingerprint" },
        { why: "huge fingerprint", body: { action: "trust", fingerprint: HUGE }, field: "fingerprint" },
      ],
    },
  },
  "/api/nodes/dashboard-key": { GET: { role: "viewer" } },

  "/api/catalog": { GET: { role: "viewer" } },
  "/api/catalog/progress": { GET: { role: "viewer", bad: [{ why: "huge nodeIds", query: `nodeIds=${"a".repeat(20_000)}`, field: "nodeIds" }] } },

  "/api/runs": {
    GET: { role: "viewer", bad: [{ why: "limit not a number", query: "limit=lots", field: "limit" }] },
    POST: {
      role: "viewer",
      bad: [
        { why: "fields missing", body: {}, field: "stepIds" },
        { why: "mode unknown", body: { stepIds: ["kernel-modules"], nodeIds: [uuid], mode: "yolo" }, field: "mode" },
        { why: "stepIds a string", body: { stepIds: "kernel-modules", nodeIds: [uuid], mode: "check" }, field: "stepIds" },
        { why: "$(reboot) as a step", body: { stepIds: ["$(reboot)"], nodeIds: [uuid], mode: "check" }, field: "stepIds" },
        { why: "newline in a step", body: { stepIds: ["kernel-modules\nreboot"], nodeIds: [uuid], mode: "check" }, field: "stepIds" },
        { why: "no nodes", body: { stepIds: ["kernel-modules"], nodeIds: [], mode: "check" }, field: "nodeIds" },
        { why: "huge node id", body: { stepIds: ["kernel-modules"], nodeIds: [HUGE], mode: "check" }, field: "nodeIds" },
        { why: "huge step id", body: { stepIds: [HUGE], nodeIds: [uuid], mode: "check" }, field: "stepIds" },
      ],
    },
  },
  "/api/runs/[id]": { GET: { role: "viewer", bad: [{ why: "$(reboot) as the run id", params: { id: "$(reboot)" }, field: "id" }] } },
  "/api/runs/[id]/cancel": { POST: { role: "operator", bad: [{ why: "; as the run id", params: { id: "x;reboot" }, field: "id" }] } },
  "/api/runs/[id]/events": {
    GET: {
      role: "viewer",
      bad: [
        { why: "after negative", query: "after=-1", field: "after" },
        { why: "run id not an id", params: { id: "not-a-run" }, field: "id" },
      ],
    },
  },

  "/api/auth/login": {
    POST: {
      role: "public",
      bad: [
        { why: "name missing", body: { password: "x" }, field: "name" },
        { why: "password a number", body: { name: "admin", password: 12345 }, field: "password" },
        { why: "huge name", body: { name: HUGE, password: "x" }, field: "name" },
        { why: "huge password", body: { name: "admin", password: HUGE }, field: "password" },
      ],
    },
  },
  "/api/auth/logout": { POST: { role: "public" } },
  "/api/auth/me": { GET: { role: "viewer" } },
  "/api/auth/setup": {
    POST: {
      role: "public",
      bad: [
        { why: "token missing", body: { name: "root", password: "long-enough-password" }, field: "token" },
        { why: "$(reboot) in the name", body: { token: "a".repeat(32), name: "$(reboot)", password: "long-enough-password" }, field: "name" },
        { why: "; in the name", body: { token: "a".repeat(32), name: "admin;id", password: "long-enough-password" }, field: "name" },
        { why: "short password", body: { token: "a".repeat(32), name: "root", password: "short" }, field: "password" },
      ],
    },
  },

  "/api/users": {
    GET: { role: "admin" },
    POST: {
      role: "admin",
      bad: [
        { why: "fields missing", body: {}, field: "name" },
        { why: "role unknown", body: { name: "eve", role: "root", password: "long-enough-password" }, field: "role" },
        { why: "; in the user", body: { name: "eve;rm -rf /", role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "$(reboot) in the user", body: { name: "$(reboot)", role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "newline in the user", body: { name: "eve\nadmin", role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "huge user", body: { name: HUGE, role: "viewer", password: "long-enough-password" }, field: "name" },
        { why: "password a number", body: { name: "eve", role: "viewer", password: 123456789012 }, field: "password" },
        { why: "huge password", body: { name: "eve", role: "viewer", password: HUGE }, field: "password" },
      ],
    },
  },
  "/api/users/[id]": {
    PATCH: {
      role: "admin",
      bad: [
        { why: "$(reboot) as the id", params: { id: "$(reboot)" }, body: { role: "viewer" }, field: "id" },
        { why: "nothing to change", body: {} },
        { why: "role unknown", body: { role: "superuser" }, field: "role" },
        { why: "disabled a string", body: { disabled: "yes" }, field: "disabled" },
        { why: "unknown field", body: { name: "mallory" } },
      ],
    },
    DELETE: { role: "admin", bad: [{ why: "not an id", params: { id: "1 OR 1=1" }, field: "id" }] },
  },
  "/api/artifacts": { GET: { role: "viewer" } },
  "/api/artifacts/fetch": {
    POST: {
      role: "operator",
      bad: [
        { why: "artifactId missing", body: {}, field: "artifactId" },
        { why: "$(reboot) as artifactId", body: { artifactId: "$(reboot)" }, field: "artifactId" },
        { why: "a path as artifactId", body: { artifactId: "../../etc/passwd" }, field: "artifactId" },
        { why: "huge artifactId", body: { artifactId: HUGE }, field: "artifactId" },
      ],
    },
  },
  "/api/artifacts/uploads": {
    POST: {
      role: "operator",
      bad: [
        { why: "size missing", body: { artifactId: "runc@1.3.4:amd64" }, field: "size" },
        { why: "size negative", body: { artifactId: "runc@1.3.4:amd64", size: -1 }, field: "size" },
        { why: "arch unknown", body: { artifactId: "runc@1.3.4:riscv64", size: 10 }, field: "artifactId" },
        { why: "; in artifactId", body: { artifactId: "runc@1.3.4:amd64;id", size: 10 }, field: "artifactId" },
      ],
    },
  },
  "/api/artifacts/uploads/[id]": {
    PUT: {
      role: "operator",
      params: { id: "a".repeat(24) },
      bad: [
        { why: "offset missing", query: "", field: "offset" },
        { why: "offset negative", query: "offset=-5", field: "offset" },
        { why: "offset not a number", query: "offset=zero", field: "offset" },
        { why: "$(reboot) as the upload id", query: "offset=0", params: { id: "$(reboot)" }, field: "id" },
      ],
    },
  },
  "/api/artifacts/uploads/[id]/complete": {
    POST: { role: "operator", params: { id: "a".repeat(24) }, bad: [{ why: "a path as the upload id", params: { id: "../../etc/passwd" }, field: "id" }] },
  },
  "/api/audit": {
    GET: {
      role: "admin",
      bad: [
        { why: "from not a time", query: "from=yesterday", field: "from" },
        { why: "limit too big", query: "limit=100000", field: "limit" },
        { why: "huge user", query: `user=${"u".repeat(1000)}`, field: "user" },
        { why: "action with shell characters", query: "action=%24(reboot)", field: "action" },
      ],
    },
  },
  "/api/audit/export": {
    GET: {
      role: "admin",
      bad: [
        { why: "format missing", query: "", field: "format" },
        { why: "format unknown", query: "format=html", field: "format" },
        { why: "to not a time", query: "format=csv&to=tomorrow", field: "to" },
      ],
    },
  },
  "/api/health": { GET: { role: "viewer" } },
  "/api/health/scans": {
    POST: {
      role: "viewer",
      bad: [
        { why: "nodeIds not uuids", body: { nodeIds: ["$(reboot)"] }, field: "nodeIds" },
        { why: "nodeIds empty", body: { nodeIds: [] }, field: "nodeIds" },
        { why: "nodeIds a string", body: { nodeIds: "all" }, field: "nodeIds" },
        { why: "trigger unknown", body: { trigger: "cron" }, field: "trigger" },
        { why: "unknown field", body: { command: "id" } },
        { why: "an unknown node", body: { nodeIds: [uuid] }, field: "nodeIds" },
      ],
    },
  },
  "/api/health/scans/[id]": { GET: { role: "viewer", bad: [{ why: "not a scan id", params: { id: "$(reboot)" }, field: "id" }] } },
  "/api/health/nodes/[nodeId]": { GET: { role: "viewer", bad: [{ why: "a path as the node id", params: { nodeId: "../../etc/passwd" }, field: "nodeId" }] } },
  "/api/health/checks/[checkId]": {
    GET: {
      role: "viewer",
      params: { checkId: "1" },
      bad: [
        { why: "not a number", params: { checkId: "1;reboot" }, field: "checkId" },
        { why: "negative", params: { checkId: "-4" }, field: "checkId" },
      ],
    },
  },
  "/api/health/drift": {
    GET: {
      role: "viewer",
      bad: [
        { why: "open not 0/1", query: "open=yes", field: "open" },
        { why: "nodeId with shell characters", query: "nodeId=%24(reboot)", field: "nodeId" },
        { why: "limit too big", query: "limit=100000", field: "limit" },
      ],
    },
  },
};

type Handler = ((req: Request, segment?: { params?: Promise<Record<string, string>> }) => Promise<Response>) & {
  spec?: { role: Access; body: boolean; params: boolean; query: boolean };
};

function discoverRoutes(): { urlPath: string; file: string }[] {
  const root = path.resolve("app", "api");
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => ({ urlPath: `/api/${path.dirname(f).split(path.sep).join("/")}`.replace(/\/\.$/, ""), file: path.join(root, f) }))
    .sort((a, b) => a.urlPath.localeCompare(b.urlPath));
}

const routes = discoverRoutes();

let t: typeof import("../auth/testing");
let database: import("../db").Db;
const cookies: Record<(typeof ROLE_ORDER)[number], string> = { viewer: "", operator: "", admin: "" };

beforeAll(async () => {
  t = await import("../auth/testing");
  const { db } = await import("../db");
  database = db();
  for (const role of ROLE_ORDER) cookies[role] = await t.sessionCookieFor(database, role);
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function concretePath(urlPath: string, params: Record<string, string>): string {
  return urlPath.replace(/\[\.{0,3}([^\]]+)\]/g, (_, name: string) => encodeURIComponent(params[name] ?? uuid));
}

function paramsFor(urlPath: string, entry: MethodEntry): Record<string, string> {
  const names = [...urlPath.matchAll(/\[\.{0,3}([^\]]+)\]/g)].map((m) => m[1]);
  return Object.fromEntries(names.map((n) => [n, entry.params?.[n] ?? uuid]));
}

async function call(
  handler: Handler,
  method: Method,
  urlPath: string,
  entry: MethodEntry,
  init: Parameters<typeof t.apiRequest>[1] & { query?: string; params?: Record<string, string> } = {},
) {
  const params = { ...paramsFor(urlPath, entry), ...init.params };
  const url = concretePath(urlPath, params) + (init.query ? `?${init.query}` : "");
  return handler(t.apiRequest(url, { method, ...init }), { params: Promise.resolve(params) });
}

describe("the route table", () => {
  it("finds the API routes on disk", () => {
    expect(routes.map((r) => r.urlPath)).toContain("/api/auth/login");
  });
  it("has an entry for every route on disk, and no entry for a route that is gone", () => {
    const onDisk = routes.map((r) => r.urlPath);
    expect(onDisk.filter((p) => !(p in ROUTES)), "routes without an entry in ROUTES (server/http/routes.test.ts)").toEqual([]);
    expect(Object.keys(ROUTES).filter((p) => !onDisk.includes(p)), "entries for routes that no longer exist").toEqual([]);
  });
});

for (const { urlPath, file } of routes) {
  describe(urlPath, () => {
    let mod: Partial<Record<Method, Handler>>;
    beforeAll(async () => {
      mod = (await import(file)) as Partial<Record<Method, Handler>>;
    });

    it("exports only methods the table knows", () => {
      const exported = METHODS.filter((m) => typeof mod[m] === "function");
      expect(exported.length).toBeGreaterThan(0);
      expect(exported.filter((m) => !ROUTES[urlPath]?.[m]), `methods of ${urlPath} without a table entry`).toEqual([]);
    });

    for (const method of METHODS) {
      const entry = ROUTES[urlPath]?.[method];
      if (!entry) continue;
      const mutating = method !== "GET";

      describe(method, () => {
        const handler = () => {
          const h = mod[method];
          if (!h) throw new Error(`${urlPath} has no ${method} export (the table has one)`);
          return h;
        };

        it(`is built with route() and demands ${entry.role}`, () => {
          expect(handler().spec, "built with route() from server/http/route.ts").toBeDefined();
          expect(handler().spec!.role).toBe(entry.role);
          const parses = handler().spec!.body || handler().spec!.query || handler().spec!.params;
          if (parses) expect(entry.bad?.length, "a route that parses input lists malformed inputs in the table").toBeGreaterThan(0);
        });

        if (entry.role !== "public") {
          it("answers 401 without a session, and 401 for a made-up session", async () => {
            const before = t.snapshotDb(database);
            expect((await call(handler(), method, urlPath, entry)).status).toBe(401);
            expect((await call(handler(), method, urlPath, entry, { cookie: "nodeprep_session=forged" })).status).toBe(401);
            expect(t.snapshotDb(database)).toEqual(before);
          });
          for (const smaller of ROLE_ORDER.slice(0, ROLE_ORDER.indexOf(entry.role))) {
            it(`answers 403 to a ${smaller}`, async () => {
              const before = t.snapshotDb(database);
              const res = await call(handler(), method, urlPath, entry, { cookie: cookies[smaller], body: mutating ? {} : undefined });
              expect(res.status).toBe(403);
              expect(((await res.json()) as { code: string }).code).toBe("forbidden");
              expect(t.snapshotDb(database)).toEqual(before);
            });
          }
        }

        if (mutating) {
          it("refuses another Origin, and a request without one, even from an admin", async () => {
            const before = t.snapshotDb(database);
            for (const origin of ["http://evil.example", null, "null"]) {
              const res = await call(handler(), method, urlPath, entry, { cookie: cookies.admin, origin, body: {} });
              expect(res.status, `Origin ${origin}`).toBe(403);
              expect(((await res.json()) as { code: string }).code).toBe("cross_origin");
            }
            expect(t.snapshotDb(database)).toEqual(before);
          });
          it("refuses a declared 5 MB body before reading it", async () => {
            const before = t.snapshotDb(database);
            const res = await call(handler(), method, urlPath, entry, { cookie: cookies.admin, body: "{}", headers: { "content-length": String(5 * 1024 * 1024) } });
            expect(res.status).toBe(413);
            expect(t.snapshotDb(database)).toEqual(before);
          });
        }

        it("answers 400 naming the field to malformed input, storing nothing", async () => {
          const spec = handler().spec;
          const cases = [...(spec?.body ? GENERIC_BAD_BODIES : []), ...(entry.bad ?? [])];
          if (!spec?.body && !spec?.query && !spec?.params) return expect(cases, "no parsed input: nothing malformed to send").toEqual([]);
          const cookie = cookies[entry.role === "public" ? "admin" : entry.role];
          for (const c of cases) {
            const before = t.snapshotDb(database);
            const res = await call(handler(), method, urlPath, entry, { cookie, body: c.body, query: c.query, params: c.params });
            const answer = (await res.json()) as { code: string; field?: string; error: string };
            expect(res.status, `${c.why}: ${JSON.stringify(answer)}`).toBe(400);
            if (c.field) {
              expect(answer.field, c.why).toBeDefined();
              expect(answer.field!.startsWith(c.field), `${c.why}: field ${answer.field}`).toBe(true);
              expect(answer.error.startsWith(answer.field!), c.why).toBe(true);
            }
            expect(t.snapshotDb(database), `${c.why}: database changed`).toEqual(before);
          }
        });
      });
    }
  });
}
