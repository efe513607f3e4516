import { SetupBody } from "@/lib/contracts/auth";
import { sessionCookie } from "@/server/auth/sessions";
import { isHttps } from "@/server/http/trust";
import { completeSetup } from "@/server/auth/setup";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";

export const POST = route({ role: "public", body: SetupBody }, async ({ req, body }) => {
  const { user, token, expiresAt } = await completeSetup(db(), body);
  return json(
    { user, expiresAt: expiresAt.toISOString() },
    { status: 201, headers: { "set-cookie": sessionCookie(token, expiresAt, isHttps(req)) } },
  );
});
