import "server-only";
import type { SessionUser } from "@/lib/contracts/auth";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { dummyPasswordHash, verifyPassword } from "./password";
import { createSession } from "./sessions";
import { signInThrottled, type Throttled } from "./throttle";
import { findUserForSignIn, markSignedIn, toSessionUser } from "./users";

export type SignInResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: Date }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "throttled"; throttled: Throttled };

/** Check a name and password; every outcome is in the audit log, throttling included. Wrong name and
 *  wrong password look (and take) the same, so sign-in does not reveal who has an account. */
export async function signIn(db: Db, rawName: string, password: string, from: string | null, now = Date.now()): Promise<SignInResult> {
  const name = rawName.trim().toLowerCase();
  const throttled = signInThrottled(db, name, from, now);
  if (throttled) {
    recordAudit(db, {
      actor: name,
      action: "sign-in-throttled",
      detail: { from, reason: throttled.reason === "source" ? "too many failed sign-ins from this address" : "repeated failures for this name from this address", failures: throttled.failures, retryAfterSeconds: throttled.retryAfterSeconds },
    });
    return { ok: false, reason: "throttled", throttled };
  }
  const user = findUserForSignIn(db, name);
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !matches || user.disabled) {
    const reason = !user ? "unknown user" : !matches ? "wrong password" : "account disabled";
    recordAudit(db, { actor: name, action: "sign-in-failed", detail: { reason, from } });
    return { ok: false, reason: "wrong" };
  }
  const { token, expiresAt } = createSession(db, user.id);
  markSignedIn(db, user.id);
  recordAudit(db, { actor: user.name, action: "sign-in", detail: { from, expiresAt: expiresAt.toISOString() } });
  return { ok: true, user: toSessionUser(user), token, expiresAt };
}
