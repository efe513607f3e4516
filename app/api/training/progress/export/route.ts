import { ExportQuery } from "@/lib/contracts/training";
import { db } from "@/server/db";
import { route } from "@/server/http/route";
import { progressCsv, progressTable } from "@/server/training/progress";

export const dynamic = "force-dynamic";

/** The trainer's table as CSV: one row per trainee and scenario, then per trainee and self-check. */
export const GET = route({ role: "trainer", query: ExportQuery }, () => {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(progressCsv(progressTable(db())), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="nodeprep-training-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
