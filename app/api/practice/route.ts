import { json, route } from "@/server/http/route";
import { practice } from "@/server/practice";

export const dynamic = "force-dynamic";

/** Practice nodes: state, memory, SSH address, the operation in progress, limits. A trainee sees their own. */
export const GET = route({ role: "trainee" }, ({ user }) => json(practice().overview(user)));
