import { NodeIdParams } from "@/lib/contracts/nodes";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { refreshFacts } from "@/server/hosts/contact";

export const POST = route({ role: "operator", params: NodeIdParams }, async ({ params, user, req }) =>
  json(await refreshFacts(db(), params.id, user.name, req.signal)),
);
