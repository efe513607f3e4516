"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usersApi } from "@/lib/api/auth";
import type { CreateUserBody, UpdateUserBody } from "@/lib/contracts/auth";
import { queryKeys } from "@/lib/queries";

export function useUsers() {
  return useQuery({ queryKey: queryKeys.users.list(), queryFn: usersApi.list });
}

export function useUserMutations() {
  const client = useQueryClient();
  const invalidate = () => client.invalidateQueries({ queryKey: queryKeys.users.all });
  return {
    create: useMutation({ mutationFn: (body: CreateUserBody) => usersApi.create(body), onSuccess: invalidate }),
    update: useMutation({ mutationFn: ({ id, body }: { id: string; body: UpdateUserBody }) => usersApi.update(id, body), onSuccess: invalidate }),
    remove: useMutation({ mutationFn: (id: string) => usersApi.remove(id), onSuccess: invalidate }),
  };
}
