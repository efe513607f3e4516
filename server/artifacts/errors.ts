import "server-only";
import { AppError } from "../errors";

export type ArtifactErrorKind =
  | "unknown-release" // no such component/version/source/variant in the release list
  | "unsupported-arch" // the release has no file for the host's architecture
  | "libc-unsupported" // the build does not run on the host's C library
  | "no-checksum" // neither a published sum nor a checksum file to take one from
  | "not-cached" // delivery from the cache, but the file is not there
  | "no-downloader" // the host has neither curl nor wget
  | "download-failed" // the host (or the dashboard) could not fetch the file
  | "upload-failed" // SFTP to the host failed
  | "too-large" // more bytes than the dashboard accepts for one artifact
  | "no-space" // the host has not enough free space where the file is staged
  | "checksum-mismatch" // the file on the host is not the published one: nothing was installed
  | "host-command-failed"; // mktemp, sha256sum, tar or install failed on the host

/** Typed and actionable (design.md convention 4): the message says what, where and what to do. */
export class ArtifactError extends AppError {
  constructor(
    readonly kind: ArtifactErrorKind,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(kind, message, details);
    this.name = "ArtifactError";
  }
}

export class ChecksumMismatchError extends ArtifactError {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
    readonly origin: string,
  ) {
    super(
      "checksum-mismatch",
      `sha256 mismatch for ${file} (from ${origin}): expected ${expected}, got ${actual}. ` +
        "The file is not the published release; nothing was extracted or installed and the staged copy was removed.",
      { file, expected, actual, origin },
    );
    this.name = "ChecksumMismatchError";
  }
}
