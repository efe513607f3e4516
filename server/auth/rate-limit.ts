import "server-only";
import type { Db } from "../db";

// Failed sign-ins are already in the audit log (action 'sign-in-failed', actor = the name typed), so
// the limit counts them there: one source of truth, and it survives a restart.
export const FAILURES_PER_NAME = 5;
export const FAILURES_OVERALL = 30;
export const WINDOW_MS = 15 * 60_000;

export interface Limited {
  retryAfterSeconds: number;
}

/** Refuse further attempts for a name after 5 failures in 15 minutes (reset by a success), and for
 *  everyone after 30 failures in 15 minutes (password spraying across names). */
export function signInLimited(db: Db, name: string, now = Date.now()): Limited | null {
  const since = new Date(now - WINDOW_MS).toISOString();
  const lastSuccess = db
    .prepare("SELECT max(at) FROM audit_log WHERE action = 'sign-in' AND actor = ? AND at > ?")
    .pluck()
    .get(name, since) as string | null;
  const forName = db
    .prepare("SELECT at FROM audit_log WHERE action = 'sign-in-failed' AND actor = ? AND at > ? ORDER BY at")
    .pluck()
    .all(name, lastSuccess ?? since) as string[];
  if (forName.length >= FAILURES_PER_NAME) return { retryAfterSeconds: retryAfter(forName[forName.length - FAILURES_PER_NAME], now) };
  const overall = db
    .prepare("SELECT at FROM audit_log WHERE action = 'sign-in-failed' AND at > ? ORDER BY at")
    .pluck()
    .all(since) as string[];
  if (overall.length >= FAILURES_OVERALL) return { retryAfterSeconds: retryAfter(overall[overall.length - FAILURES_OVERALL], now) };
  return null;
}

const retryAfter = (oldestCounted: string, now: number) =>
  Math.max(1, Math.ceil((new Date(oldestCounted).getTime() + WINDOW_MS - now) / 1000));
