import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { dashboardPublicKey } from "@/server/nodes/dashboard-key";

export const GET = route({ role: "viewer" }, () => json(dashboardPublicKey(db())));
