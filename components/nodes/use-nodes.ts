"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { nodesApi } from "@/lib/api/nodes";
import type { HostKeyDecision, NodeInput } from "@/lib/contracts/nodes";
import { queryKeys } from "@/lib/queries";

export function useNodes() {
  return useQuery({ queryKey: queryKeys.nodes.list(), queryFn: nodesApi.list });
}

export function useNode(id: string) {
  return useQuery({ queryKey: queryKeys.nodes.detail(id), queryFn: () => nodesApi.get(id) });
}

export function useDashboardKey() {
  return useQuery({ queryKey: queryKeys.dashboardKey(), queryFn: nodesApi.dashboardKey, staleTime: Infinity });
}

function useInvalidateNodes() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.nodes.all });
}

export function useCreateNode() {
  const invalidate = useInvalidateNodes();
  return useMutation({ mutationFn: (input: NodeInput) => nodesApi.create(input), onSuccess: invalidate });
}

export function useUpdateNode(id: string) {
  const invalidate = useInvalidateNodes();
  return useMutation({ mutationFn: (input: NodeInput) => nodesApi.update(id, input), onSuccess: invalidate });
}

export function useRemoveNode(id: string) {
  const invalidate = useInvalidateNodes();
  return useMutation({ mutationFn: () => nodesApi.remove(id), onSuccess: invalidate });
}

export function useTestNode(id: string) {
  const invalidate = useInvalidateNodes();
  return useMutation({ mutationFn: () => nodesApi.test(id), onSettled: invalidate });
}

export function useRefreshFacts(id: string) {
  const invalidate = useInvalidateNodes();
  return useMutation({ mutationFn: () => nodesApi.refreshFacts(id), onSettled: invalidate });
}

export function useDecideHostKey(id: string) {
  const invalidate = useInvalidateNodes();
  return useMutation({ mutationFn: (d: HostKeyDecision) => nodesApi.decideHostKey(id, d), onSuccess: invalidate });
}
