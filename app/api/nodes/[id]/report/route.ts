import { NodeIdParams } from "@/lib/contracts/nodes";
import { ReportQuery } from "@/lib/contracts/report";
import { steps } from "@/server/catalog";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { buildReport } from "@/server/reports/build";
import { reportMarkdown } from "@/server/reports/markdown";

export const dynamic = "force-dynamic";

/** A node's report: facts, every step's verification with the raw output, versions, audit ids. ?format=md downloads it as Markdown. */
export const GET = route({ role: "viewer", params: NodeIdParams, query: ReportQuery }, ({ params, query }) => {
  const report = buildReport(db(), params.id, steps);
  if (query.format === "json") return json(report, { headers: { "cache-control": "no-store" } });
  const stamp = report.generatedAt.replace(/[:.]/g, "-");
  return new Response(reportMarkdown(report), {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="nodeprep-report-${report.node.name}-${stamp}.md"`,
      "cache-control": "no-store",
    },
  });
});
