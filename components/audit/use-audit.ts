"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { auditApi } from "@/lib/api/audit";
import type { AuditFilter } from "@/lib/contracts/audit";
import { queryKeys } from "@/lib/queries";

export function useAudit(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit.list(filter),
    queryFn: ({ pageParam }) => auditApi.list({ ...filter, before: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

/** A generated script an audit row refers to, fetched when the row is opened. */
export function useAuditScript(hash: string, enabled: boolean) {
  return useQuery({ queryKey: queryKeys.audit.script(hash), queryFn: () => auditApi.script(hash), enabled, staleTime: Infinity });
}
