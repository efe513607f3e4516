import { CreateUserBody } from "@/lib/contracts/auth";
import { recordAudit } from "@/server/audit/record";
import { createUser, listUsers } from "@/server/auth/users";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";

export const GET = route({ role: "admin" }, () => json({ users: listUsers(db()) }));

export const POST = route({ role: "admin", body: CreateUserBody }, async ({ body, user }) => {
  const created = await createUser(db(), body);
  recordAudit(db(), { actor: user.name, action: "user-created", detail: { user: created.name, role: created.role } });
  return json({ user: created }, { status: 201 });
});
