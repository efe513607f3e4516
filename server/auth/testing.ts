import "server-only";
import type { Role } from "@/lib/contracts/auth";
import type { Db } from "../db";
import { createSession, SESSION_COOKIE } from "./sessions";
import { createUser, findUserForSignIn } from "./users";

// For tests that call route handlers in-process: a signed-in Cookie header for a role, and a Request
// that looks like it came from the dashboard's own page (same Origin).

export const TEST_ORIGIN = "http://127.0.0.1:3000";

/** `nodeprep_session=...` for user `test-<role>` (created on first use). */
export async function sessionCookieFor(db: Db, role: Role): Promise<string> {
  const name = `test-${role}`;
  const user = findUserForSignIn(db, name) ?? (await createUser(db, { name, role, password: `password-for-${name}` }));
  return `${SESSION_COOKIE}=${createSession(db, user.id).token}`;
}

export interface ApiRequestInit {
  method?: string;
  /** An object is sent as JSON; a string as is (malformed JSON, on purpose). */
  body?: unknown;
  cookie?: string;
  /** Defaults to the dashboard's own origin; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
}

export function apiRequest(path: string, init: ApiRequestInit = {}): Request {
  const headers: Record<string, string> = { ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  const origin = init.origin === undefined ? TEST_ORIGIN : init.origin;
  if (origin) headers.origin = origin;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  return new Request(new URL(path, TEST_ORIGIN), { method: init.method ?? "GET", headers, body });
}

/** Every row of every table, as one comparable value: "the database is unchanged". */
export function snapshotDb(db: Db): Record<string, unknown[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const rows = (t: string) => {
    try {
      return db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all();
    } catch {
      // WITHOUT ROWID tables: their primary key orders them.
      return db.prepare(`SELECT * FROM "${t}"`).all();
    }
  };
  return Object.fromEntries(tables.map((t) => [t, rows(t)]));
}
