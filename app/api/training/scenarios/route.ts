import { json, route } from "@/server/http/route";
import { training } from "@/server/training";

export const dynamic = "force-dynamic";

/** Every scenario with the signed-in user's progress on it. */
export const GET = route({ role: "trainee" }, ({ user }) => json({ scenarios: training().list(user) }));
