import { health } from "@/server/health";
import { json, route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/** The matrix: every node x every catalog probe, from the stored checks, with the scan in progress. */
export const GET = route({ role: "viewer" }, () => json(health().matrix()));
