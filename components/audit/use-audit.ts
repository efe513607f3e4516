"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { auditApi } from "@/lib/api/audit";
import type { AuditFilter } from "@/lib/contracts/audit";
import { queryKeys } from "@/lib/queries";

/** One page of the audit log: AUDIT_PAGE_SIZE entries older than `before` (the newest without it). */
export const AUDIT_PAGE_SIZE = 50;

export function useAudit(filter: AuditFilter, before: number | undefined) {
  return useQuery({
    queryKey: queryKeys.audit.list({ ...filter, before: before === undefined ? undefined : String(before) }),
    queryFn: () => auditApi.list({ ...filter, before, limit: AUDIT_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

/** A generated script an audit row refers to, fetched when the row is opened. */
export function useAuditScript(hash: string, enabled: boolean) {
  return useQuery({ queryKey: queryKeys.audit.script(hash), queryFn: () => auditApi.script(hash), enabled, staleTime: Infinity });
}
