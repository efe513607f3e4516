import { AuditScriptParams } from "@/lib/contracts/audit";
import { getScript } from "@/server/audit/record";
import { db } from "@/server/db";
import { notFound } from "@/server/errors";
import { json, route } from "@/server/http/route";

/** A generated script (facts, a probe batch) that audit rows refer to by its sha256. */
export const GET = route({ role: "admin", params: AuditScriptParams }, ({ params }) => {
  const script = getScript(db(), params.hash);
  if (!script) throw notFound(`script ${params.hash}`);
  return json(script);
});
