import { GroupIdParams, GroupInput } from "@/lib/contracts/groups";
import { db } from "@/server/db";
import { removeGroup, updateGroup } from "@/server/groups/service";
import { json, route } from "@/server/http/route";

export const PATCH = route({ role: "admin", params: GroupIdParams, body: GroupInput }, ({ params, body, user }) =>
  json({ group: updateGroup(db(), params.id, body, user.name) }),
);

export const DELETE = route({ role: "admin", params: GroupIdParams }, ({ params, user }) => {
  removeGroup(db(), params.id, user.name);
  return new Response(null, { status: 204 });
});
