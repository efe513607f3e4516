import { MatrixQuery } from "@/lib/contracts/health";
import { nodeScope } from "@/server/auth/scope";
import { db } from "@/server/db";
import { health } from "@/server/health";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/**
 * The matrix: every node (a trainee: their own) x every catalog probe, from the stored checks, with
 * the scan in progress. `?since=<version>`: only what changed after that version (polls while a scan runs).
 */
export const GET = route({ role: "trainee", query: MatrixQuery }, ({ query, user }) => {
  const scope = nodeScope(db(), user);
  const only = scope.all ? undefined : scope.nodeIds;
  return json(query.since === undefined ? health().matrix(only) : health().matrixSince(query.since, only));
});
