import { json, route } from "@/server/http/route";
import { stepSummaries } from "@/server/catalog";

export const GET = route({ role: "trainee" }, () => json({ steps: stepSummaries() }));
