import "server-only";
import { HttpError } from "../http/errors";
import { ArtifactError } from "./errors";

const STATUS: Record<ArtifactError["kind"], [number, string]> = {
  "unknown-release": [404, "not_found"],
  "unsupported-arch": [422, "unsupported_arch"],
  "libc-unsupported": [422, "libc_unsupported"],
  "no-checksum": [422, "no_checksum"],
  "not-cached": [409, "not_cached"],
  "no-downloader": [422, "no_downloader"],
  "download-failed": [502, "download_failed"],
  "upload-failed": [409, "upload_failed"],
  "too-large": [413, "too_large"],
  "no-space": [507, "no_space"],
  "checksum-mismatch": [422, "checksum_mismatch"],
  "host-command-failed": [502, "host_command_failed"],
};

/** Run an artifacts operation in a route: its typed errors become answers with their message. */
export async function asHttp<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ArtifactError) {
      const [status, code] = STATUS[error.kind];
      throw new HttpError(status, code, error.message);
    }
    throw error;
  }
}
