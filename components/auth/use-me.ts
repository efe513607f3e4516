"use client";
import { useQuery } from "@tanstack/react-query";
import { authApi } from "@/lib/api/auth";
import { ApiError } from "@/lib/api-error";
import { hasRole, type Me, type Role } from "@/lib/contracts/auth";
import { queryKeys } from "@/lib/queries";
import { useHydrated } from "../use-hydrated";

/**
 * The signed-in user (GET /api/auth/me). A 401 means signed out: not retried.
 *
 * Unknown while the page hydrates, as it was on the server. The header (outside every Suspense
 * boundary) asks for it first; a page part inside a boundary (the wizard) may hydrate only once its
 * code has loaded, after the answer came: rendering with it then made the wizard's HTML differ from
 * the server's ("You can Check; applying changes needs the operator role." gone) and threw React's
 * #418 on slow loads. A render right after hydration shows it.
 */
export function useMe(): { data: Me | undefined; error: Error | null } {
  const query = useQuery({
    queryKey: queryKeys.auth.me(),
    queryFn: authApi.me,
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && (error.status === 401 || error.status === 403)) && count < 1,
  });
  const hydrated = useHydrated();
  return hydrated ? { data: query.data, error: query.error } : { data: undefined, error: null };
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
