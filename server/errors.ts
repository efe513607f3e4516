import "server-only";

// The one error registry (design.md convention 13). Domain code throws `AppError(kind, message)`;
// `route()` is the only place that turns it into an answer, by this table. Domain code never builds
// an HTTP answer nor imports server/http, so an error means the same wherever it is thrown (a route,
// a run, a scan) and its status cannot drift between two routes.
//
// Each kind: the HTTP status of its answer; `show`: whether its message reaches the user (when not,
// they read a generic line and the message goes to the server log); `log`: whether the server log
// records it (a failure of the dashboard or of something it depends on, not a refused request);
// `code`: the `code` of the answer when it differs from the kind (the artifact kinds keep their own
// names for run events).
interface Rule {
  status: number;
  show: boolean;
  log: boolean;
  code?: string;
}

const refused = (status: number, code?: string): Rule => ({ status, show: true, log: false, ...(code ? { code } : {}) });
const failed = (status: number, code?: string): Rule => ({ status, show: true, log: true, ...(code ? { code } : {}) });

export const ERROR_KINDS = {
  // The request itself.
  bad_request: refused(400),
  invalid_input: refused(400),
  invalid_json: refused(400),
  too_large: refused(413),
  wrong_host: refused(421),
  cross_origin: refused(403),
  unauthenticated: refused(401),
  forbidden: refused(403),
  setup_closed: refused(403),
  not_found: refused(404),
  // The state of the dashboard or of a host does not allow it now.
  conflict: refused(409),
  last_admin: refused(409),
  run_conflict: refused(409),
  preview_stale: refused(409),
  practice_limit: refused(409),
  no_image: refused(409),
  secret_missing: refused(409),
  secret_unreadable: failed(409),
  invalid_inventory: refused(400),
  export_refused: refused(400),
  // Artifacts (server/artifacts/errors.ts says what each means).
  "unknown-release": refused(404, "not_found"),
  "unsupported-arch": refused(422, "unsupported_arch"),
  "libc-unsupported": refused(422, "libc_unsupported"),
  "no-checksum": refused(422, "no_checksum"),
  "not-cached": refused(409, "not_cached"),
  "no-downloader": refused(422, "no_downloader"),
  "download-failed": failed(502, "download_failed"),
  "upload-failed": failed(409, "upload_failed"),
  "too-large": refused(413, "too_large"),
  "no-space": refused(507, "no_space"),
  "checksum-mismatch": refused(422, "checksum_mismatch"),
  "host-command-failed": failed(502, "host_command_failed"),
  // Anything that is not an AppError: a bug or an unexpected failure; its text may hold internals.
  internal: { status: 500, show: false, log: true },
} satisfies Record<string, Rule>;

export type AppErrorKind = keyof typeof ERROR_KINDS;

export interface AppErrorDetails {
  /** The input the error is about (a body field, a query parameter): the answer names it. */
  field?: string;
  [key: string]: unknown;
}

/** A typed, actionable error: the message says what, where and what to do (design.md convention 4). */
export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get rule(): Rule {
    return ERROR_KINDS[this.kind];
  }
}

export const badRequest = (message: string, field?: string) => new AppError("bad_request", message, field ? { field } : {});
/** A 400 naming the field, its message starting with the field as zod's answers do. */
export const invalidInput = (field: string, message: string) => new AppError("invalid_input", `${field}: ${message}`, { field });
export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const conflict = (message: string, field?: string) => new AppError("conflict", message, field ? { field } : {});
export const forbidden = (message: string) => new AppError("forbidden", message);
