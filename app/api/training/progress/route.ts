import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { progressTable } from "@/server/training/progress";

export const dynamic = "force-dynamic";

/** The trainer's table: every trainee x every scenario and self-check. */
export const GET = route({ role: "trainer" }, () => json(progressTable(db())));
