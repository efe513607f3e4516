"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { healthApi } from "@/lib/api/health";
import { applyUpdate, type HealthMatrix, type StartScanBody } from "@/lib/contracts/health";
import { queryKeys } from "@/lib/queries";

/** While a scan runs, the matrix refetches every second: each node's progress and results appear as they land. */
const SCAN_POLL_MS = 1_000;

/**
 * While a scan runs, each poll asks only for what changed since the matrix it has (a fleet's whole
 * matrix is megabytes): the rows of the nodes checked since, merged in place. Otherwise, and when the
 * nodes themselves changed, the whole matrix.
 */
export function useHealthMatrix() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: queryKeys.health.matrix(),
    queryFn: async (): Promise<HealthMatrix> => {
      const had = qc.getQueryData<HealthMatrix>(queryKeys.health.matrix());
      if (had?.scan?.status === "running") {
        const merged = applyUpdate(had, await healthApi.matrixSince(had.version));
        if (merged) return merged;
      }
      return healthApi.matrix();
    },
    refetchInterval: (q) => (q.state.data?.scan?.status === "running" ? SCAN_POLL_MS : false),
  });
}

export function useNodeHealth(nodeId: string) {
  return useQuery({
    queryKey: queryKeys.health.node(nodeId),
    queryFn: () => healthApi.node(nodeId),
    refetchInterval: (q) => (q.state.data?.scan && ["queued", "connecting", "probing"].includes(q.state.data.scan.state) ? SCAN_POLL_MS : false),
  });
}

export function useStartScan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<StartScanBody>) => healthApi.scan(body),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.health.all }),
  });
}

/**
 * Automatic refresh: a query whose fetch starts a scan, refetched every `intervalMs` (0 = off).
 * react-query pauses interval refetches while the tab is hidden (refetchIntervalInBackground: false).
 */
export function useAutoScan(intervalMs: number) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: queryKeys.health.autoScan(intervalMs),
    queryFn: async () => {
      const answer = await healthApi.scan({ trigger: "auto" });
      await qc.invalidateQueries({ queryKey: queryKeys.health.matrix() });
      return answer;
    },
    enabled: intervalMs > 0,
    refetchInterval: intervalMs > 0 ? intervalMs : false,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: false,
    staleTime: intervalMs,
    gcTime: 0,
    retry: false,
  });
}

export function useCheck(checkId: number | null) {
  return useQuery({
    queryKey: queryKeys.health.check(checkId ?? 0),
    queryFn: () => healthApi.check(checkId!),
    enabled: checkId !== null,
    staleTime: Infinity, // a stored check never changes
  });
}

/** `poll`: while a scan runs, drift can appear any second. */
export function useDrift(filter: { open?: boolean; nodeId?: string } = {}, poll = false) {
  return useQuery({ queryKey: queryKeys.health.drift(filter), queryFn: () => healthApi.drift(filter), refetchInterval: poll ? SCAN_POLL_MS : false });
}

/** When a scan ends, refetch everything health once: the last node's check and any drift it raised. */
export function useRefreshWhenScanEnds(running: boolean) {
  const qc = useQueryClient();
  const was = useRef(running);
  useEffect(() => {
    if (was.current && !running) void qc.invalidateQueries({ queryKey: queryKeys.health.all });
    was.current = running;
  }, [running, qc]);
}
