"use client";
import { useMutation } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { authApi } from "@/lib/api/auth";
import { ApiError } from "@/lib/api-error";
import { isPublicPath, useMe } from "./use-me";

/** Who is signed in, and Sign out. A session that ended (expired, signed out elsewhere) sends the
 *  page to sign-in: the proxy only sees that a cookie exists, the server decides whether it is valid. */
export function UserMenu() {
  const router = useRouter();
  const pathname = usePathname();
  const isPublic = isPublicPath(pathname);
  const { data, error } = useMe();
  const signedOut = error instanceof ApiError && error.status === 401;
  useEffect(() => {
    if (signedOut && !isPublic) router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [signedOut, isPublic, pathname, router]);
  const logout = useMutation({
    mutationFn: authApi.logout,
    // A full page load: nothing of the signed-in user stays in memory.
    onSettled: () => window.location.assign(new URL("/login", window.location.href)),
  });
  if (!data || isPublic) return null;
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-slate-700" data-testid="signed-in-user">
        <span className="font-medium">{data.user.name}</span> <span className="text-slate-500">({data.user.role})</span>
      </span>
      <button
        type="button"
        onClick={() => logout.mutate()}
        disabled={logout.isPending}
        className="rounded border border-slate-300 px-3 py-1 font-medium text-slate-700 hover:bg-slate-100"
      >
        Sign out
      </button>
    </div>
  );
}
