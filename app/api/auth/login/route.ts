import { LoginBody } from "@/lib/contracts/auth";
import { sessionCookie } from "@/server/auth/sessions";
import { isHttps } from "@/server/http/trust";
import { signIn } from "@/server/auth/sign-in";
import { db } from "@/server/db";
import { clientAddress, json, route } from "@/server/http/route";

export const POST = route({ role: "public", body: LoginBody }, async ({ req, body }) => {
  const result = await signIn(db(), body.name, body.password, clientAddress(req));
  if (!result.ok) {
    if (result.reason === "throttled") {
      const { reason, retryAfterSeconds } = result.throttled;
      const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} s` : `${Math.ceil(retryAfterSeconds / 60)} min`;
      const why = reason === "source" ? "too many failed sign-ins from your address" : "several wrong passwords for this name from your address";
      return json({ error: `${why}: wait ${wait} before trying again`, code: "throttled" }, { status: 429, headers: { "retry-after": String(retryAfterSeconds) } });
    }
    return json({ error: "wrong name or password", code: "wrong_credentials" }, { status: 401 });
  }
  return json(
    { user: result.user, expiresAt: result.expiresAt.toISOString() },
    { headers: { "set-cookie": sessionCookie(result.token, result.expiresAt, isHttps(req)) } },
  );
});
