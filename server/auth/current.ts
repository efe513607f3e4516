import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { hasRole, type Role } from "@/lib/contracts/auth";
import { db } from "../db";
import { SESSION_COOKIE, sessionFromToken, type ActiveSession } from "./sessions";

/** For Server Components: the signed-in session, or null. */
export async function currentSession(): Promise<ActiveSession | null> {
  const store = await cookies();
  return sessionFromToken(db(), store.get(SESSION_COOKIE)?.value);
}

/** For pages: signed out -> the sign-in page (coming back here after); too small a role -> null. */
export async function requirePageRole(least: Role, here: string): Promise<ActiveSession | null> {
  const session = await currentSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(here)}`);
  return hasRole(session.user.role, least) ? session : null;
}
