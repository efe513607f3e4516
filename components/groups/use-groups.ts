"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { groupsApi } from "@/lib/api/groups";
import type { GroupInput } from "@/lib/contracts/groups";
import { queryKeys } from "@/lib/queries";

/** `enabled: false` for someone who may not list groups (a trainee): no request that would only be refused. */
export function useGroups({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: queryKeys.groups.list(), queryFn: groupsApi.list, enabled });
}

function useInvalidateGroups() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.groups.all });
}

export function useSaveGroup(id: string | null) {
  const invalidate = useInvalidateGroups();
  return useMutation({ mutationFn: (input: GroupInput) => (id ? groupsApi.update(id, input) : groupsApi.create(input)), onSuccess: invalidate });
}

export function useRemoveGroup() {
  const invalidate = useInvalidateGroups();
  return useMutation({ mutationFn: (id: string) => groupsApi.remove(id), onSuccess: invalidate });
}
