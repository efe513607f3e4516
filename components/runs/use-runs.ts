"use client";
import { useQuery } from "@tanstack/react-query";
import { runsApi } from "@/lib/api/runs";
import { queryKeys } from "@/lib/queries";

export function useRuns() {
  // Runs change while you look: refresh while any is running.
  return useQuery({
    queryKey: queryKeys.runs.list(),
    queryFn: runsApi.list,
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === "running") ? 2_000 : false),
  });
}

export function useRun(id: string) {
  return useQuery({ queryKey: queryKeys.runs.detail(id), queryFn: () => runsApi.get(id) });
}
