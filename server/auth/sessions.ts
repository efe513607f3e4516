import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { Role, SESSION_COOKIE, type SessionUser } from "@/lib/contracts/auth";
import { config } from "../config";
import type { Db } from "../db";

export { SESSION_COOKIE };

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

/** A fresh random token (the cookie's value) and its expiry; the database keeps only its hash. */
export function createSession(db: Db, userId: string, now = new Date()): { token: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + config().NODEPREP_SESSION_HOURS * 3_600_000);
  db.prepare("DELETE FROM sessions WHERE expires_at <= ?").run(now.toISOString());
  db.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)").run(
    sha256(token),
    userId,
    now.toISOString(),
    expiresAt.toISOString(),
  );
  return { token, expiresAt };
}

export interface ActiveSession {
  user: SessionUser;
  expiresAt: string;
}

/** The signed-in user behind a token, or null when it is unknown, expired or the user is disabled. */
export function sessionFromToken(db: Db, token: string | null | undefined, now = new Date()): ActiveSession | null {
  if (!token || token.length > 100) return null;
  const row = db
    .prepare(
      `SELECT u.id, u.name, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
    )
    .get(sha256(token), now.toISOString()) as { id: string; name: string; role: string; expires_at: string } | undefined;
  if (!row) return null;
  return { user: { id: row.id, name: row.name, role: Role.parse(row.role) }, expiresAt: row.expires_at };
}

export function deleteSession(db: Db, token: string | null | undefined): void {
  if (token) db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(sha256(token));
}

/** The value of one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export const sessionToken = (req: Request) => readCookie(req.headers.get("cookie"), SESSION_COOKIE);

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${maxAge}`, ...(secure ? ["Secure"] : [])].join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=0", ...(secure ? ["Secure"] : [])].join("; ");
}
