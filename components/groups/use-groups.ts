"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { groupsApi } from "@/lib/api/groups";
import type { GroupInput } from "@/lib/contracts/groups";
import { queryKeys } from "@/lib/queries";

export function useGroups() {
  return useQuery({ queryKey: queryKeys.groups.list(), queryFn: groupsApi.list });
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
