import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { SessionUser } from "@/lib/contracts/auth";
import { recordAudit } from "../audit/record";
import { config } from "../config";
import type { Db } from "../db";
import { AppError } from "../errors";
import { hashPassword } from "./password";
import { createSession } from "./sessions";
import { countUsers, createUser, getUser, toSessionUser } from "./users";

// The first admin: either NODEPREP_BOOTSTRAP_ADMIN=name:password (tests, automation), the CLI
// (`npm run user -- add <name> --role admin`), or a one-time link printed at start. A setup link
// only works while there are no users, and each start replaces the previous one.

const SETUP_HOURS = 24;
const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

export function issueSetupToken(db: Db, now = new Date()): string {
  const token = randomBytes(24).toString("base64url");
  db.transaction(() => {
    db.prepare("DELETE FROM setup_tokens").run();
    db.prepare("INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)").run(
      sha256(token),
      now.toISOString(),
      new Date(now.getTime() + SETUP_HOURS * 3_600_000).toISOString(),
    );
  })();
  return token;
}

export function setupTokenValid(db: Db, token: string, now = new Date()): boolean {
  if (countUsers(db) > 0) return false;
  return db.prepare("SELECT 1 FROM setup_tokens WHERE token_hash = ? AND expires_at > ?").get(sha256(token), now.toISOString()) !== undefined;
}

/** Create the first admin from a setup link, and sign them in. */
export async function completeSetup(
  db: Db,
  input: { token: string; name: string; password: string },
): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
  if (!setupTokenValid(db, input.token)) {
    throw new AppError("setup_closed", "this setup link is no longer valid: an admin exists already, or the link expired (restart the dashboard for a new one)");
  }
  // Hash before the transaction (async); the transaction re-checks that nobody won the race.
  const hash = await hashPassword(input.password);
  const id = db.transaction(() => {
    if (!setupTokenValid(db, input.token)) throw new AppError("setup_closed", "this setup link is no longer valid");
    db.prepare("DELETE FROM setup_tokens").run();
    return insertWithHash(db, input.name, hash);
  })();
  const user = toSessionUser(getUser(db, id)!);
  recordAudit(db, { actor: user.name, action: "user-created", detail: { user: user.name, role: "admin", via: "setup link" } });
  const session = createSession(db, user.id);
  recordAudit(db, { actor: user.name, action: "sign-in", detail: { via: "setup link", expiresAt: session.expiresAt.toISOString() } });
  return { user, ...session };
}

function insertWithHash(db: Db, name: string, hash: string): string {
  const now = new Date().toISOString();
  const id = randomUUID();
  db.prepare("INSERT INTO users (id, name, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, 'admin', ?, 0, ?, ?)").run(
    id,
    name,
    hash,
    now,
    now,
  );
  return id;
}

export function publicBaseUrl(): string {
  const c = config();
  if (c.NODEPREP_PUBLIC_URL) return c.NODEPREP_PUBLIC_URL.replace(/\/+$/, "");
  const host = c.NODEPREP_HOST.includes(":") ? `[${c.NODEPREP_HOST}]` : c.NODEPREP_HOST;
  return `http://${host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host}:${c.PORT}`;
}

/** At start: make sure someone can become admin. Returns the lines to print. */
export async function ensureFirstAdmin(db: Db): Promise<string[]> {
  if (countUsers(db) > 0) return [];
  const bootstrap = config().NODEPREP_BOOTSTRAP_ADMIN;
  if (bootstrap) {
    const sep = bootstrap.indexOf(":");
    const name = bootstrap.slice(0, sep);
    const user = await createUser(db, { name, role: "admin", password: bootstrap.slice(sep + 1) });
    recordAudit(db, { actor: "system", action: "user-created", detail: { user: user.name, role: "admin", via: "NODEPREP_BOOTSTRAP_ADMIN" } });
    return [`[nodeprep] created admin "${user.name}" from NODEPREP_BOOTSTRAP_ADMIN`];
  }
  const token = issueSetupToken(db);
  return [
    "[nodeprep] no users yet. Create the first admin with this one-time link (valid 24 h, until an admin exists):",
    `[nodeprep]   ${publicBaseUrl()}/setup?token=${token}`,
    "[nodeprep] or from a shell: npm run user -- add <name> --role admin",
  ];
}
