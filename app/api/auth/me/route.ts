import { sessionFromToken, sessionToken } from "@/server/auth/sessions";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";

export const GET = route({ role: "trainee" }, ({ req, user }) => {
  const session = sessionFromToken(db(), sessionToken(req));
  return json({ user, expiresAt: session?.expiresAt ?? new Date().toISOString() });
});
