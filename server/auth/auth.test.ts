// Sign-in, sessions, setup and user changes through the real route handlers, in-process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-auth-"));
process.env.NODEPREP_DATA_DIR = dataDir;

let t: typeof import("./testing");
let database: import("../db").Db;
let users: typeof import("./users");
let sessions: typeof import("./sessions");
let setup: typeof import("./setup");
let password: typeof import("./password");
let rateLimit: typeof import("./rate-limit");
let login: typeof import("@/app/api/auth/login/route");
let logout: typeof import("@/app/api/auth/logout/route");
let me: typeof import("@/app/api/auth/me/route");
let setupRoute: typeof import("@/app/api/auth/setup/route");
let usersRoute: typeof import("@/app/api/users/route");
let userRoute: typeof import("@/app/api/users/[id]/route");

beforeAll(async () => {
  t = await import("./testing");
  database = (await import("../db")).db();
  users = await import("./users");
  sessions = await import("./sessions");
  setup = await import("./setup");
  password = await import("./password");
  rateLimit = await import("./rate-limit");
  login = await import("@/app/api/auth/login/route");
  logout = await import("@/app/api/auth/logout/route");
  me = await import("@/app/api/auth/me/route");
  setupRoute = await import("@/app/api/auth/setup/route");
  usersRoute = await import("@/app/api/users/route");
  userRoute = await import("@/app/api/users/[id]/route");
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const audit = (action: string) => database.prepare("SELECT * FROM audit_log WHERE action = ? ORDER BY seq").all(action) as { actor: string; detail: string }[];
const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0];

describe("passwords", () => {
  it("hashes with scrypt, salted, and verifies", async () => {
    const a = await password.hashPassword("correct horse battery");
    const b = await password.hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await password.verifyPassword("correct horse battery", a)).toBe(true);
    expect(await password.verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await password.verifyPassword("x", "plain-text")).toBe(false);
  });
  it("generates long passwords from an unambiguous alphabet", () => {
    const p = password.generatePassword();
    expect(p).toHaveLength(20);
    expect(p).not.toMatch(/[0O1lI]/);
  });
});

describe("first admin via the one-time setup link", () => {
  it("works once, only while there are no users", async () => {
    const token = setup.issueSetupToken(database);
    const wrong = await setupRoute.POST(t.apiRequest("/api/auth/setup", { method: "POST", body: { token: "x".repeat(32), name: "root", password: "long-enough-password" } }));
    expect(wrong.status).toBe(403);
    expect(users.countUsers(database)).toBe(0);

    const res = await setupRoute.POST(t.apiRequest("/api/auth/setup", { method: "POST", body: { token, name: "root", password: "long-enough-password" } }));
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
    const again = await setupRoute.POST(t.apiRequest("/api/auth/setup", { method: "POST", body: { token, name: "root2", password: "long-enough-password" } }));
    expect(again.status).toBe(403);
    expect(users.listUsers(database).map((u) => [u.name, u.role])).toEqual([["root", "admin"]]);
    expect(await setup.ensureFirstAdmin(database)).toEqual([]);
  });
});

describe("sign-in", () => {
  beforeAll(async () => {
    await users.createUser(database, { name: "alice", role: "operator", password: "alice-password-1" });
  });

  it("sets an httpOnly, SameSite=Strict session cookie with an expiry, and /me names the user", async () => {
    const res = await login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name: "Alice", password: "alice-password-1" } }));
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^nodeprep_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43\d\d\d$/);
    expect(cookie).not.toContain("Secure");
    const who = await me.GET(t.apiRequest("/api/auth/me", { cookie: cookieOf(res) }));
    expect(await who.json()).toMatchObject({ user: { name: "alice", role: "operator" } });
    expect(audit("sign-in").at(-1)!.actor).toBe("alice");
  });

  it("marks the cookie Secure when the request came over https (TLS proxy in front)", async () => {
    const res = await login.POST(
      t.apiRequest("/api/auth/login", { method: "POST", body: { name: "alice", password: "alice-password-1" }, headers: { "x-forwarded-proto": "https" } }),
    );
    expect(res.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("answers a wrong password and an unknown name alike, and audits both", async () => {
    const wrong = await login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name: "alice", password: "nope" } }));
    const unknown = await login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name: "nobody", password: "nope" } }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const failures = audit("sign-in-failed");
    expect(failures.map((f) => f.actor)).toEqual(["alice", "nobody"]);
    expect(failures.map((f) => JSON.parse(f.detail).reason)).toEqual(["wrong password", "unknown user"]);
  });

  it("refuses a name after 5 failures in 15 minutes, even with the right password", async () => {
    await users.createUser(database, { name: "bob", role: "viewer", password: "bob-password-12" });
    for (let i = 0; i < rateLimit.FAILURES_PER_NAME; i++) {
      expect((await login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name: "bob", password: `guess-${i}` } }))).status).toBe(401);
    }
    const res = await login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name: "bob", password: "bob-password-12" } }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(audit("sign-in-refused").at(-1)!.actor).toBe("bob");
    // ...and the limit lifts after the window.
    expect(rateLimit.signInLimited(database, "bob", Date.now() + rateLimit.WINDOW_MS + 1000)).toBeNull();
  });

  it("sign-out ends the session on the server, not just in the browser", async () => {
    const res = await login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name: "alice", password: "alice-password-1" } }));
    const cookie = cookieOf(res);
    const out = await logout.POST(t.apiRequest("/api/auth/logout", { method: "POST", cookie }));
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^nodeprep_session=; .*Max-Age=0/);
    expect((await me.GET(t.apiRequest("/api/auth/me", { cookie }))).status).toBe(401);
    expect(audit("sign-out").at(-1)!.actor).toBe("alice");
  });

  it("an expired session is no session", async () => {
    const alice = users.findUserForSignIn(database, "alice")!;
    const { token } = sessions.createSession(database, alice.id, new Date(Date.now() - 13 * 3_600_000));
    expect(sessions.sessionFromToken(database, token)).toBeNull();
    expect((await me.GET(t.apiRequest("/api/auth/me", { cookie: `nodeprep_session=${token}` }))).status).toBe(401);
  });
});

describe("users", () => {
  let admin: string;
  beforeAll(async () => {
    admin = await t.sessionCookieFor(database, "admin");
  });

  it("an admin adds a user, who can then sign in; the change is audited without the password", async () => {
    const res = await usersRoute.POST(t.apiRequest("/api/users", { method: "POST", cookie: admin, body: { name: "carol", role: "viewer", password: "carol-password-1" } }));
    expect(res.status).toBe(201);
    const dup = await usersRoute.POST(t.apiRequest("/api/users", { method: "POST", cookie: admin, body: { name: "carol", role: "viewer", password: "carol-password-1" } }));
    expect(dup.status).toBe(409);
    expect((await login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name: "carol", password: "carol-password-1" } }))).status).toBe(200);
    const created = audit("user-created").at(-1)!;
    expect(created.actor).toBe("test-admin");
    expect(created.detail).not.toContain("carol-password-1");
  });

  it("disabling a user ends their sessions at once; a role change applies at their next request", async () => {
    const carol = users.findUserForSignIn(database, "carol")!;
    const cookie = `nodeprep_session=${sessions.createSession(database, carol.id).token}`;
    const promote = await userRoute.PATCH(t.apiRequest(`/api/users/${carol.id}`, { method: "PATCH", cookie: admin, body: { role: "operator" } }), { params: Promise.resolve({ id: carol.id }) });
    expect(promote.status).toBe(200);
    expect(await (await me.GET(t.apiRequest("/api/auth/me", { cookie }))).json()).toMatchObject({ user: { role: "operator" } });
    await userRoute.PATCH(t.apiRequest(`/api/users/${carol.id}`, { method: "PATCH", cookie: admin, body: { disabled: true } }), { params: Promise.resolve({ id: carol.id }) });
    expect((await me.GET(t.apiRequest("/api/auth/me", { cookie }))).status).toBe(401);
    expect(JSON.parse(audit("user-changed").at(-1)!.detail)).toMatchObject({ user: "carol", changed: ["disabled"] });
  });

  it("never leaves the dashboard without an active admin, and an admin cannot remove themself", async () => {
    const root = users.findUserForSignIn(database, "root")!;
    const self = users.findUserForSignIn(database, "test-admin")!;
    const selfDelete = await userRoute.DELETE(t.apiRequest(`/api/users/${self.id}`, { method: "DELETE", cookie: admin }), { params: Promise.resolve({ id: self.id }) });
    expect(selfDelete.status).toBe(409);
    const delRoot = await userRoute.DELETE(t.apiRequest(`/api/users/${root.id}`, { method: "DELETE", cookie: admin }), { params: Promise.resolve({ id: root.id }) });
    expect(delRoot.status).toBe(204);
    await expect(users.updateUser(database, self.id, { role: "viewer" })).rejects.toThrow(/at least one active admin/);
    expect(users.getUser(database, self.id)!.role).toBe("admin");
  });
});
