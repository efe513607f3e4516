import "server-only";
import type { SessionUser } from "@/lib/contracts/auth";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { dummyPasswordHash, verifyPassword } from "./password";
import { signInLimited } from "./rate-limit";
import { createSession } from "./sessions";
import { findUserForSignIn, markSignedIn, toSessionUser } from "./users";

export type SignInResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: Date }
  | { ok: false; reason: "wrong" | "limited"; retryAfterSeconds?: number };

/** Check a name and password; every outcome is in the audit log. Wrong name and wrong password
 *  look (and take) the same, so sign-in does not reveal who has an account. */
export async function signIn(db: Db, rawName: string, password: string, from: string | null): Promise<SignInResult> {
  const name = rawName.trim().toLowerCase();
  const limited = signInLimited(db, name);
  if (limited) {
    recordAudit(db, { actor: name, action: "sign-in-refused", detail: { reason: "too many failed attempts", from } });
    return { ok: false, reason: "limited", retryAfterSeconds: limited.retryAfterSeconds };
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
