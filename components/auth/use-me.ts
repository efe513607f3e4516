"use client";
import { useQuery } from "@tanstack/react-query";
import { authApi } from "@/lib/api/auth";
import { ApiError } from "@/lib/api-error";
import { hasRole, type Role } from "@/lib/contracts/auth";
import { queryKeys } from "@/lib/queries";

/** The signed-in user (GET /api/auth/me). A 401 means signed out: not retried. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.auth.me(),
    queryFn: authApi.me,
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && (error.status === 401 || error.status === 403)) && count < 1,
  });
}

/**
 * Whether the signed-in user has at least `least`, e.g. `useCan("operator")` to enable Apply.
 * False while unknown: the UI never offers an action before the server has said who you are (and
 * the server checks again anyway).
 */
export function useCan(least: Role): boolean {
  const { data } = useMe();
  return hasRole(data?.user.role, least);
}
