"use client";
import { useQuery } from "@tanstack/react-query";
import { catalogApi } from "@/lib/api/runs";
import { queryKeys } from "@/lib/queries";

/** Where each selected node stands on each step (refreshed when a run ends). */
export function useProgress(nodeIds: readonly string[]) {
  return useQuery({
    queryKey: queryKeys.catalog.progress(nodeIds),
    queryFn: () => catalogApi.progress(nodeIds),
    enabled: nodeIds.length > 0,
  });
}
