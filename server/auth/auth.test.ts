// Sign-in, sessions, setup and user changes through the real route handlers, in-process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-auth-"));
process.env.NODEPREP_DATA_DIR = dataDir;
// As under scripts/start.mjs: the client's address is the socket peer our own server reports.
process.env.NODEPREP_FRONT_DOOR = "1";

let t: typeof import("./testing");
let database: import("../db").Db;
let users: typeof import("./users");
let sessions: typeof import("./sessions");
let setup: typeof import("./setup");
let password: typeof import("./password");
let throttle: typeof import("./throttle");
let signIn: typeof import("./sign-in");
let record: typeof import("../audit/record");
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
  throttle = await import("./throttle");
  signIn = await import("./sign-in");
  record = await import("../audit/record");
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
const attempt = (name: string, password: string, from: string) =>
  login.POST(t.apiRequest("/api/auth/login", { method: "POST", body: { name, password }, headers: { "x-nodeprep-peer": from } }));

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

  it("does not take a client's X-Forwarded-Proto for https (only a trusted proxy's: lib/request-trust.test.ts)", async () => {
    const res = await login.POST(
      t.apiRequest("/api/auth/login", { method: "POST", body: { name: "alice", password: "alice-password-1" }, headers: { "x-forwarded-proto": "https" } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/);
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

  it("30 failures against other names, from any address, do not block an unrelated user's correct sign-in", async () => {
    await users.createUser(database, { name: "dora", role: "viewer", password: "dora-password-12" });
    for (let i = 0; i < 30; i++) {
      const res = await attempt(`sprayed-${i}`, "Winter2025!", "198.51.100.7");
      expect(res.status).toBe(401);
    }
    expect((await attempt("dora", "dora-password-12", "198.51.100.7")).status).toBe(200); // even from the sprayer's address
    expect((await attempt("dora", "dora-password-12", "192.0.2.10")).status).toBe(200);
  }, 120_000); // 30 scrypt verifications on a busy machine

  it("repeated failures for one name from one address slow that address only, more each time; the owner elsewhere is not", async () => {
    await users.createUser(database, { name: "bob", role: "viewer", password: "bob-password-12" });
    const attacker = "203.0.113.66";
    for (let i = 0; i < throttle.FREE_FAILURES; i++) expect((await attempt("bob", `guess-${i}`, attacker)).status).toBe(401);
    // The next try from there waits, even with the right password, and says so accurately.
    const held = await attempt("bob", "bob-password-12", attacker);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get("retry-after"))).toBe(2);
    expect((await held.json()).error).toBe("several wrong passwords for this name from your address: wait 2 s before trying again");
    // The owner, from their own address, is not slowed at all.
    expect((await attempt("bob", "bob-password-12", "192.0.2.44")).status).toBe(200);
    // After the wait the attacker may guess again; each further failure doubles the wait.
    expect(await signIn.signIn(database, "bob", "guess-again", attacker, Date.now() + 2_500)).toEqual({ ok: false, reason: "wrong" });
    // (that failure is stored at the real time: the next wait counts from it)
    expect(throttle.signInThrottled(database, "bob", attacker, Date.now() + 100)).toMatchObject({ reason: "name-from-source", failures: 4, retryAfterSeconds: 4 });
    expect(throttle.delayAfter(5)).toBe(8_000);
    expect(throttle.delayAfter(40)).toBe(throttle.MAX_DELAY_MS);
    // The audit log shows the throttling: who, from where, why, for how long.
    const row = audit("sign-in-throttled").at(-1)!;
    expect(row.actor).toBe("bob");
    expect(JSON.parse(row.detail)).toEqual({ from: attacker, reason: "repeated failures for this name from this address", failures: 3, retryAfterSeconds: 2 });
  });

  it("an address with too many failures overall waits; other addresses are never held by it", async () => {
    const noisy = "198.51.100.99";
    for (let i = 0; i < throttle.SOURCE_CAP; i++) record.recordAudit(database, { actor: `name-${i}`, action: "sign-in-failed", detail: { reason: "unknown user", from: noisy } });
    const res = await attempt("alice", "alice-password-1", noisy);
    expect(res.status).toBe(429);
    expect((await res.json()).error).toMatch(/^too many failed sign-ins from your address: wait \d+ min before trying again$/);
    expect((await attempt("alice", "alice-password-1", "192.0.2.77")).status).toBe(200);
    expect(throttle.signInThrottled(database, "alice", noisy, Date.now() + throttle.WINDOW_MS + 1000)).toBeNull();
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
