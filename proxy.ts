import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/contracts/auth";

// An optimistic check only (Next's advice for Proxy): a page request without a session cookie goes
// to sign-in. Whether a cookie is a valid session is decided on the server, by route() for every API
// call and by the pages that read the session; a stale cookie ends at sign-in through the 401 the
// first API call gets (components/auth/user-menu.tsx).

export function proxy(request: NextRequest) {
  if (request.cookies.get(SESSION_COOKIE)?.value) return NextResponse.next();
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = "/login";
  url.search = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: API routes answer 401 themselves; sign-in, setup and static files stay reachable.
  matcher: ["/((?!api/|_next/|login|setup|favicon\\.ico|robots\\.txt|.*\\.(?:png|svg|ico|jpg|css|js|txt|woff2?)$).*)"],
};
