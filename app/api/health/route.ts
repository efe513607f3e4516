import { MatrixQuery } from "@/lib/contracts/health";
import { health } from "@/server/health";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/**
 * The matrix: every node x every catalog probe, from the stored checks, with the scan in progress.
 * `?since=<version>`: only what changed after that version (polls while a scan runs).
 */
export const GET = route({ role: "viewer", query: MatrixQuery }, ({ query }) =>
  json(query.since === undefined ? health().matrix() : health().matrixSince(query.since)),
);
