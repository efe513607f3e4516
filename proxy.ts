import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/contracts/auth";
import { isAllowedHost, requestHost, requestProto, trustSettings } from "@/lib/request-trust";
import { NON_PAGE_CSP, pageCsp, SECURITY_HEADERS } from "@/lib/security-headers";

// Every request but static files passes here first (Next's Proxy):
//   1. the Host must be the dashboard's own (lib/request-trust.ts): 421 otherwise, public pages and
//      API included (DNS rebinding);
//   2. security headers on every answer; a page gets a Content-Security-Policy with a fresh nonce, which
//      Next reads from the request's own CSP header and puts on its scripts (so the layout renders per
//      request: app/layout.tsx reads it);
//   3. an optimistic sign-in check only (Next's advice for Proxy): a page request without a session
//      cookie goes to sign-in. Whether a cookie is a valid session is decided on the server, by route()
//      for every API call and by the pages that read the session.

const PUBLIC_PAGES = /^\/(login|setup)(\/|$)/;

function withHeaders(res: NextResponse, csp: string): NextResponse {
  res.headers.set("Content-Security-Policy", csp);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.headers.set(k, v);
  return res;
}

export function proxy(request: NextRequest) {
  const settings = trustSettings(process.env);
  const proto = requestProto(request.headers, request.nextUrl.protocol, settings);
  const host = requestHost(request.headers, request.nextUrl.host, settings);
  if (!isAllowedHost(host, settings, proto)) {
    const body = { error: `this dashboard does not answer to the host ${JSON.stringify(host ?? "")}: use its own address`, code: "wrong_host" };
    return withHeaders(NextResponse.json(body, { status: 421 }), NON_PAGE_CSP);
  }
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/")) return withHeaders(NextResponse.next(), NON_PAGE_CSP);

  if (!PUBLIC_PAGES.test(pathname) && !request.cookies.get(SESSION_COOKIE)?.value) {
    const url = request.nextUrl.clone();
    const next = `${pathname}${request.nextUrl.search}`;
    url.pathname = "/login";
    url.search = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
    return withHeaders(NextResponse.redirect(url), NON_PAGE_CSP);
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  return withHeaders(NextResponse.next({ request: { headers } }), csp);
}

export const config = {
  // Everything but Next's static files (next.config.js gives those their headers).
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg).*)"],
};
