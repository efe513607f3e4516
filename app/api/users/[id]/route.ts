import { UpdateUserBody, UserIdParams } from "@/lib/contracts/auth";
import { recordAudit } from "@/server/audit/record";
import { deleteUser, getUser, updateUser } from "@/server/auth/users";
import { db } from "@/server/db";
import { conflict } from "@/server/errors";
import { json, route } from "@/server/http/route";

export const PATCH = route({ role: "admin", params: UserIdParams, body: UpdateUserBody }, async ({ params, body, user }) => {
  const before = getUser(db(), params.id);
  if (before && params.id === user.id && (body.disabled || (body.role && body.role !== "admin"))) {
    throw conflict("you cannot disable yourself or drop your own admin role: ask another admin");
  }
  const { user: after, changed } = await updateUser(db(), params.id, body);
  if (changed.length) {
    recordAudit(db(), {
      actor: user.name,
      action: "user-changed",
      // Never the password itself: only that it changed.
      detail: { user: after.name, changed, ...(changed.includes("role") ? { role: { from: before?.role, to: after.role } } : {}), ...(changed.includes("disabled") ? { disabled: after.disabled } : {}) },
    });
  }
  return json({ user: after });
});

export const DELETE = route({ role: "admin", params: UserIdParams }, ({ params, user }) => {
  if (params.id === user.id) throw conflict("you cannot delete yourself: ask another admin");
  const deleted = deleteUser(db(), params.id);
  recordAudit(db(), { actor: user.name, action: "user-deleted", detail: { user: deleted.name, role: deleted.role } });
  return new Response(null, { status: 204 });
});
