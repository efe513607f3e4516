import { json, route } from "@/server/http/route";
import { stepSummaries } from "@/server/catalog";

export const GET = route({ role: "viewer" }, () => json({ steps: stepSummaries() }));
