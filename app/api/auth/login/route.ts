import { LoginBody } from "@/lib/contracts/auth";
import { isHttps, sessionCookie } from "@/server/auth/sessions";
import { signIn } from "@/server/auth/sign-in";
import { db } from "@/server/db";
import { clientAddress, json, route } from "@/server/http/route";

export const POST = route({ role: "public", body: LoginBody }, async ({ req, body }) => {
  const result = await signIn(db(), body.name, body.password, clientAddress(req));
  if (!result.ok) {
    if (result.reason === "limited") {
      return json(
        { error: `too many failed sign-ins for this name: try again in ${Math.ceil(result.retryAfterSeconds! / 60)} min`, code: "rate_limited" },
        { status: 429, headers: { "retry-after": String(result.retryAfterSeconds) } },
      );
    }
    return json({ error: "wrong name or password", code: "wrong_credentials" }, { status: 401 });
  }
  return json(
    { user: result.user, expiresAt: result.expiresAt.toISOString() },
    { headers: { "set-cookie": sessionCookie(result.token, result.expiresAt, isHttps(req)) } },
  );
});
