import { AuditExportQuery } from "@/lib/contracts/audit";
import { CSV_COLUMNS, csvLine, iterateAudit } from "@/server/audit/query";
import { db } from "@/server/db";
import { route } from "@/server/http/route";

// Streamed: an export of a long-lived log never sits in memory whole.
export const GET = route({ role: "admin", query: AuditExportQuery }, ({ query }) => {
  const { format, ...filter } = query;
  const entries = iterateAudit(db(), filter);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(CSV_COLUMNS.join(",") + "\r\n"));
    },
    pull(controller) {
      let batch = "";
      for (let i = 0; i < 500; i++) {
        const next = entries.next();
        if (next.done) {
          if (batch) controller.enqueue(encoder.encode(batch));
          controller.close();
          return;
        }
        batch += format === "csv" ? csvLine(next.value) : JSON.stringify(next.value) + "\n";
      }
      controller.enqueue(encoder.encode(batch));
    },
    cancel() {
      entries.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="nodeprep-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
