import { NodeIdParams } from "@/lib/contracts/nodes";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { testConnection } from "@/server/hosts/contact";

// A failed connection is an answer (200 with ok: false and the kind), not an HTTP error.
export const POST = route({ role: "operator", params: NodeIdParams }, async ({ params, user, req }) =>
  json(await testConnection(db(), params.id, user.name, req.signal)),
);
