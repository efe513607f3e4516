import "server-only";
import { AppError } from "../errors";

// Where the error registry (server/errors.ts) meets HTTP: only route() answers with it.

const INTERNAL = "internal error (see the server log)";

/** The JSON answer for anything a handler threw: an AppError by its kind's rule, anything else as a 500 that leaks nothing. */
export function errorResponse(error: unknown, where: string, headers?: HeadersInit): Response {
  const app = error instanceof AppError ? error : new AppError("internal", INTERNAL);
  const { status, show, log, code } = app.rule;
  if (log) console.error("[api]", where, error);
  const field = app.details.field;
  return Response.json(
    { error: show ? app.message : INTERNAL, code: code ?? app.kind, ...(field ? { field } : {}) },
    { status, headers },
  );
}
