import { z } from "zod";

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  nodeId: z.string().nullable(),
  nodeName: z.string().nullable(),
  runId: z.string().nullable(),
  scanId: z.string().nullable(),
  stepId: z.string().nullable(),
  /** As run, secrets redacted; for a generated script (facts, probes), a label and `scriptHash`. */
  command: z.string().nullable(),
  /** sha256 of the script's text, stored once (GET /api/audit/scripts/:hash). */
  scriptHash: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  outputBytes: z.number().int().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time such as 2025-01-31T12:00:00Z" });

/** The filters of the Audit page, as URL query parameters (all optional). */
export const AuditFilter = z.object({
  user: z.string().max(64, "at most 64 characters").optional(),
  node: z.string().max(64, "at most 64 characters").optional(),
  action: z.string().max(64, "at most 64 characters").regex(/^[a-z0-9-]*$/, "must be an action such as sign-in").optional(),
  /** One run's or one health scan's entries. */
  run: z.uuid("must be a run id").optional(),
  scan: z.uuid("must be a scan id").optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditQuery = AuditFilter.extend({
  /** Entries older than this sequence number (the next page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditExportQuery = AuditFilter.extend({ format: z.enum(["jsonl", "csv"]) }).strict();

export const AuditPage = z.object({ entries: z.array(AuditEntry), nextBefore: z.number().int().nullable() });

export const AuditScript = z.object({ hash: z.string(), text: z.string(), firstSeen: z.string() });
export type AuditScript = z.infer<typeof AuditScript>;
export const AuditScriptParams = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 (64 hex digits)") });
export type AuditPage = z.infer<typeof AuditPage>;

/** The query string for a filter, leaving out empty values. */
export function auditSearchParams(filter: Partial<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== "") params.set(k, String(v));
  return params.toString();
}
