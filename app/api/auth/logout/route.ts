import { recordAudit } from "@/server/audit/record";
import { clearedSessionCookie, deleteSession, sessionToken } from "@/server/auth/sessions";
import { isHttps } from "@/server/http/trust";
import { db } from "@/server/db";
import { route } from "@/server/http/route";

// Public so that signing out always works, even with an expired session; it only ever ends the
// caller's own session (CSRF-checked like every POST).
export const POST = route({ role: "public" }, ({ req, user }) => {
  deleteSession(db(), sessionToken(req));
  if (user) recordAudit(db(), { actor: user.name, action: "sign-out" });
  return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(isHttps(req)) } });
});
