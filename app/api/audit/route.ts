import { AuditQuery } from "@/lib/contracts/audit";
import { queryAudit } from "@/server/audit/query";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";

export const GET = route({ role: "admin", query: AuditQuery }, ({ query }) => json(queryAudit(db(), query)));
