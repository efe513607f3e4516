import "server-only";
import { z } from "zod";
import { HttpError } from "./errors";

// Every API route goes through `route()`: it parses params and body with zod (400 naming the field,
// nothing stored), refuses oversized bodies before reading them, and maps typed errors to answers.
// Authentication and roles plug in here (issue 7), so no route can forget them.

export const MAX_BODY_BYTES = 1_000_000;

export type Role = "viewer" | "operator" | "admin";

export interface RouteSpec<B extends z.ZodType | undefined, P extends z.ZodType | undefined> {
  /** The least role allowed. */
  role: Role;
  body?: B;
  params?: P;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteContext<B, P> {
  req: Request;
  body: B;
  params: P;
}

export function json(data: unknown, init?: ResponseInit): Response {
  return Response.json(data, init);
}

export function errorResponse(error: HttpError): Response {
  return Response.json({ error: error.message, code: error.code, ...(error.field ? { field: error.field } : {}) }, { status: error.status });
}

function firstIssue(error: z.ZodError, prefix: string): HttpError {
  const issue = error.issues[0];
  const field = issue.path.map(String).join(".") || prefix;
  return new HttpError(400, "invalid_input", `${field}: ${issue.message}`, field);
}

async function readBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, "too_large", `request body over ${MAX_BODY_BYTES} bytes`);
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new HttpError(413, "too_large", `request body over ${MAX_BODY_BYTES} bytes`);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "request body is not valid JSON");
  }
}

export function route<B extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, P>,
  handler: (ctx: RouteContext<Infer<B>, Infer<P>>) => Promise<Response> | Response,
) {
  return async (req: Request, segment?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    try {
      const rawParams = segment?.params ? await segment.params : {};
      let params: unknown = undefined;
      if (spec.params) {
        const parsed = spec.params.safeParse(rawParams);
        if (!parsed.success) throw firstIssue(parsed.error, "params");
        params = parsed.data;
      }
      let body: unknown = undefined;
      if (spec.body) {
        const parsed = spec.body.safeParse(await readBody(req));
        if (!parsed.success) throw firstIssue(parsed.error, "body");
        body = parsed.data;
      }
      return await handler({ req, body: body as Infer<B>, params: params as Infer<P> });
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      console.error("[api]", req.method, new URL(req.url).pathname, error);
      return errorResponse(new HttpError(500, "internal", "internal error (see the server log)"));
    }
  };
}
