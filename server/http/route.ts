import "server-only";
import { z } from "zod";
import { hasRole, type Role, type SessionUser } from "@/lib/contracts/auth";
import { sessionFromToken, sessionToken } from "../auth/sessions";
import { config } from "../config";
import { db } from "../db";
import { AppError, invalidInput } from "../errors";
import { errorResponse } from "./errors";
import { checkHost, hostOf } from "./trust";

// Every API route goes through `route()`. In order, before the handler runs:
//   0. the Host must be the dashboard's own (421; DNS rebinding; lib/request-trust.ts),
//   1. mutating methods must come from our own Origin (CSRF), 2. a declared body over the limit is
//   refused before a byte is read, 3. the session cookie must name an active user (401), 4. whose
//   role is at least `spec.role` (403), 5. params, query and body parse with zod (400 naming the
//   field; the handler, and so any write, never runs). No route can forget one of these.

export const MAX_BODY_BYTES = 1_000_000;

export type { Role };
/** `public`: no session needed (sign-in, first-admin setup, sign-out). Everything else names the least role. */
export type Access = Role | "public";

export interface RouteSpec<B extends z.ZodType | undefined, P extends z.ZodType | undefined, Q extends z.ZodType | undefined = undefined> {
  /** The least role allowed, or "public". */
  role: Access;
  body?: B;
  params?: P;
  /** The URL's query string, as an object of strings. */
  query?: Q;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteContext<B, P, Q = undefined, U = SessionUser> {
  req: Request;
  body: B;
  params: P;
  query: Q;
  /** The signed-in user (null only on public routes without a session). */
  user: U;
}

export function json(data: unknown, init?: ResponseInit): Response {
  return Response.json(data, init);
}

function firstIssue(error: z.ZodError, prefix: string): AppError {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join(".") : prefix;
  return invalidInput(field, issue.message);
}

const tooLarge = () => new AppError("too_large", `request body over ${MAX_BODY_BYTES} bytes`);

function refuseDeclaredLargeBody(req: Request): void {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
}

/** Reads at most MAX_BODY_BYTES even when no length is declared (chunked), then stops. */
async function readBody(req: Request): Promise<unknown> {
  refuseDeclaredLargeBody(req);
  if (!req.body) return undefined;
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "request body is not valid JSON");
  }
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** CSRF: a browser always sends Origin on these methods; it must be the dashboard's own. */
export function checkSameOrigin(req: Request): void {
  if (!MUTATING.has(req.method)) return;
  checkOrigin(req);
}

/**
 * The Origin must be the dashboard's own, whatever the method: what a WebSocket upgrade (a GET that a
 * page on any site may open, with our cookie) must pass, as mutating requests do.
 */
export function checkOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  if (!origin || origin === "null") {
    // Sec-Fetch-Site is set by the browser, never by a page's script.
    if (req.headers.get("sec-fetch-site") === "same-origin") return;
    throw new AppError("cross_origin", "refused: a request that changes something must carry the dashboard's own Origin header");
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("cross_origin", "refused: malformed Origin header");
  }
  // The Host as the client sent it (X-Forwarded-Host only from a trusted proxy): it was checked first.
  const host = hostOf(req);
  const publicUrl = config().NODEPREP_PUBLIC_URL;
  if (originHost.toLowerCase() === host || (publicUrl && new URL(publicUrl).origin === origin)) return;
  throw new AppError("cross_origin", `refused: Origin ${origin} is not this dashboard`);
}

type UserFor<A extends Access> = A extends "public" ? SessionUser | null : SessionUser;

export type RouteHandler = ((req: Request, segment?: { params?: Promise<Record<string, string | string[]>> }) => Promise<Response>) & {
  /** What the route demands, for the table-driven route tests. */
  spec: { role: Access; body: boolean; params: boolean; query: boolean };
};

export function route<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  A extends Access = Access,
>(
  spec: RouteSpec<B, P, Q> & { role: A },
  handler: (ctx: RouteContext<Infer<B>, Infer<P>, Infer<Q>, UserFor<A>>) => Promise<Response> | Response,
): RouteHandler {
  const run = async (req: Request, segment?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    try {
      checkHost(req);
      checkSameOrigin(req);
      refuseDeclaredLargeBody(req);
      const session = sessionFromToken(db(), sessionToken(req));
      if (spec.role !== "public") {
        if (!session) throw new AppError("unauthenticated", "sign in first");
        if (!hasRole(session.user.role, spec.role)) {
          throw new AppError("forbidden", `this needs the ${spec.role} role; you are ${session.user.role}`);
        }
      }
      const rawParams = segment?.params ? await segment.params : {};
      let params: unknown = undefined;
      if (spec.params) {
        const parsed = spec.params.safeParse(rawParams);
        if (!parsed.success) throw firstIssue(parsed.error, "params");
        params = parsed.data;
      }
      let query: unknown = undefined;
      if (spec.query) {
        const parsed = spec.query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
        if (!parsed.success) throw firstIssue(parsed.error, "query");
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (spec.body) {
        const parsed = spec.body.safeParse(await readBody(req));
        if (!parsed.success) throw firstIssue(parsed.error, "body");
        body = parsed.data;
      }
      return await handler({
        req,
        body: body as Infer<B>,
        params: params as Infer<P>,
        query: query as Infer<Q>,
        user: (session?.user ?? null) as UserFor<A>,
      });
    } catch (error) {
      return errorResponse(error, `${req.method} ${new URL(req.url).pathname}`);
    }
  };
  return Object.assign(run, { spec: { role: spec.role, body: !!spec.body, params: !!spec.params, query: !!spec.query } });
}

export { clientAddress } from "./trust";
