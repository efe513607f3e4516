import { GroupInput } from "@/lib/contracts/groups";
import { db } from "@/server/db";
import { listGroups } from "@/server/groups/repository";
import { createGroup } from "@/server/groups/service";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, () => json({ groups: listGroups(db()) }));

export const POST = route({ role: "admin", body: GroupInput }, ({ body, user }) => json({ group: createGroup(db(), body, user.name) }, { status: 201 }));
