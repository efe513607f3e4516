import { AuditPage, AuditScript, auditSearchParams, type AuditFilter } from "../contracts/audit";
import { fetchJson } from "../fetcher";

export const auditApi = {
  list: (filter: AuditFilter & { before?: number; limit?: number }) => fetchJson(AuditPage, `/api/audit?${auditSearchParams(filter)}`),
  script: (hash: string) => fetchJson(AuditScript, `/api/audit/scripts/${encodeURIComponent(hash)}`),
  /** A download link (the browser saves the file; no JSON parsing). */
  exportUrl: (filter: AuditFilter, format: "jsonl" | "csv") => `/api/audit/export?${auditSearchParams({ ...filter, format })}`,
};
