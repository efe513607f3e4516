import "server-only";
import type { Db } from "../db";

// Sign-in throttling that slows a guesser, not the account's owner. Failed sign-ins
// are already in the audit log ('sign-in-failed', actor = the name typed, detail.from = the client's
// address), so the throttle counts them there: one source of truth, and it survives a restart.
//   - per (name, address): the first FREE_FAILURES are free; after that each attempt waits twice as
//     long as the one before (2 s, 4 s, 8 s, ... up to 15 min) after the last failure;
//   - per address: over SOURCE_CAP failures in the window, that address waits until the window moves on;
//   - never anything global: a correct sign-in from another address always goes through.
// The address is the one lib/request-trust.ts can vouch for; unknown addresses (next dev) share one.

export const WINDOW_MS = 15 * 60_000;
export const FREE_FAILURES = 3;
export const MAX_DELAY_MS = 15 * 60_000;
export const SOURCE_CAP = 100;

export interface Throttled {
  reason: "name-from-source" | "source";
  retryAfterSeconds: number;
  /** Failures counted for this decision. */
  failures: number;
}

/** How long (name, address) waits after its n-th failure in a row. */
export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, 2 ** (failures - FREE_FAILURES + 1) * 1000);
}

const FROM = "COALESCE(json_extract(detail, '$.from'), '')";

/** Whether this attempt must wait, and how long. */
export function signInThrottled(db: Db, name: string, from: string | null, now = Date.now()): Throttled | null {
  const since = new Date(now - WINDOW_MS).toISOString();
  const source = from ?? "";
  // A success from this address for this name starts its count afresh; a success elsewhere does not.
  const lastSuccess = db
    .prepare(`SELECT max(at) FROM audit_log WHERE action = 'sign-in' AND actor = ? AND ${FROM} = ? AND at > ?`)
    .pluck()
    .get(name, source, since) as string | null;
  const forName = db
    .prepare(`SELECT at FROM audit_log WHERE action = 'sign-in-failed' AND actor = ? AND ${FROM} = ? AND at > ? ORDER BY at`)
    .pluck()
    .all(name, source, lastSuccess ?? since) as string[];
  const wait = delayAfter(forName.length);
  if (wait > 0) {
    const until = Date.parse(forName[forName.length - 1]) + wait;
    if (until > now) return { reason: "name-from-source", retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)), failures: forName.length };
  }
  const fromSource = db
    .prepare(`SELECT at FROM audit_log WHERE action = 'sign-in-failed' AND ${FROM} = ? AND at > ? ORDER BY at`)
    .pluck()
    .all(source, since) as string[];
  if (fromSource.length >= SOURCE_CAP) {
    const oldestCounted = Date.parse(fromSource[fromSource.length - SOURCE_CAP]);
    return { reason: "source", retryAfterSeconds: Math.max(1, Math.ceil((oldestCounted + WINDOW_MS - now) / 1000)), failures: fromSource.length };
  }
  return null;
}
