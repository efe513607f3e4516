import { releasesView } from "@/server/artifacts/view";
import { json, route } from "@/server/http/route";

/** The release list with, per file, whether the dashboard's cache holds it (the wizard's version picker reads it). */
export const GET = route({ role: "trainee" }, () => json(releasesView()));
