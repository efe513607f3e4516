"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { authApi } from "@/lib/api/auth";
import { ApiError } from "@/lib/api-error";
import { hasRole, type Me, type Role } from "@/lib/contracts/auth";
import { queryKeys } from "@/lib/queries";
import { useHydrated } from "../use-hydrated";

/** Pages anyone may open (signing in, first setup): nobody is signed in there. */
export function isPublicPath(pathname: string): boolean {
  return ["/login", "/setup"].some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * The signed-in user (GET /api/auth/me). A 401 means signed out: not retried. Not asked on the public
 * pages: the answer there is a 401 by design, which the browser would log as an error on every visit.
 * Unknown while a component hydrates (the server rendered it without a user): the header asks early,
 * and a part of the page that hydrates later (a Suspense boundary streamed after it) must still render
 * what the server did first.
 */
export function useMe(): { data: Me | undefined; error: Error | null } {
  const pathname = usePathname();
  const hydrated = useHydrated();
  const query = useQuery({
    queryKey: queryKeys.auth.me(),
    queryFn: authApi.me,
    enabled: !isPublicPath(pathname),
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && (error.status === 401 || error.status === 403)) && count < 1,
  });
  return { data: hydrated ? query.data : undefined, error: hydrated ? query.error : null };
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
