import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ResolvedArtifact } from "@/lib/contracts/artifacts";
import { config } from "../config";
import { localFilePath } from "./local-releases";
import { currentReleases } from "./releases";
import { ArtifactError, ChecksumMismatchError } from "./errors";

// The dashboard's artifact cache: <NODEPREP_DATA_DIR>/artifacts/<sha256>/<file>. Keyed by the sum, so
// two builds with one file name (upstream's containerd 1.6.20 and the lab's Debian build of it) never
// collide, and a file is only ever stored after its bytes matched the release list. Lookups fall back to
// the registered local release directories, which serve as a read-only part of the cache.

export const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;

export interface CacheOptions {
  /** Defaults to <NODEPREP_DATA_DIR>/artifacts. */
  dir?: string;
  /** Defaults to the release list's local release directory. */
  localDir?: string | null;
}

export const cacheDir = (opts: CacheOptions = {}) => opts.dir ?? path.join(config().NODEPREP_DATA_DIR, "artifacts");

function requireSum(artifact: ResolvedArtifact): string {
  if (!artifact.sha256) {
    throw new ArtifactError(
      "no-checksum",
      `${artifact.file} has no published sha256 in the catalogue, so the dashboard cannot vouch for a copy of it; ` +
        "add the sum to the catalogue, or let the host download it (it verifies against the project's checksum file)",
      { file: artifact.file },
    );
  }
  return artifact.sha256;
}

/** Where the cache holds this artifact, or null. */
export function findCached(artifact: ResolvedArtifact, opts: CacheOptions = {}): string | null {
  if (artifact.sha256) {
    const p = path.join(cacheDir(opts), artifact.sha256, artifact.file);
    if (fs.existsSync(p)) return p;
  }
  const localDir = opts.localDir === undefined ? currentReleases().localDir : opts.localDir;
  if (artifact.source === "local" && localDir) return localFilePath(localDir, artifact);
  return null;
}

/**
 * A small text artifact's content from the cache (a service unit), checked against its sum here, or
 * null when the cache lacks it, it is too big to show, or its bytes do not match (then it is staged and
 * checked on the host as usual, and the mismatch is reported there).
 */
export function cachedText(artifact: ResolvedArtifact, opts: CacheOptions & { maxBytes?: number } = {}): string | null {
  const file = artifact.sha256 ? findCached(artifact, opts) : null;
  if (!file) return null;
  const bytes = fs.readFileSync(file);
  if (bytes.length > (opts.maxBytes ?? 65536)) return null;
  if (createHash("sha256").update(bytes).digest("hex") !== artifact.sha256) return null;
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) ? text : null;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest("hex");
}

/**
 * Store bytes for an artifact, hashing them on the way in. A mismatch (or more than maxBytes) stores
 * nothing and says which file, expected and actual sums.
 */
export async function addToCache(
  artifact: ResolvedArtifact,
  input: Readable | AsyncIterable<Uint8Array>,
  opts: CacheOptions & { origin?: string; maxBytes?: number; signal?: AbortSignal } = {},
): Promise<{ path: string; sha256: string; size: number }> {
  const expected = requireSum(artifact);
  const dir = cacheDir(opts);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const incoming = path.join(dir, `.incoming-${randomBytes(6).toString("hex")}`);
  const hash = createHash("sha256");
  const max = opts.maxBytes ?? MAX_ARTIFACT_BYTES;
  let size = 0;
  // The file is opened (and so exists) before any byte flows, and the stream is closed before the
  // `finally` removes it. A stream that opens lazily could still be opening when an early error
  // reaches the `rm`, and then create the file after it was removed (a leftover under load).
  const handle = await fs.promises.open(incoming, "wx", 0o600);
  const out = handle.createWriteStream();
  try {
    await pipeline(
      input,
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > max) throw new ArtifactError("too-large", `${artifact.file} is larger than ${max} bytes: refused`, { file: artifact.file, max });
          hash.update(chunk);
          yield chunk;
        }
      },
      out,
      { signal: opts.signal },
    );
    const actual = hash.digest("hex");
    if (actual !== expected) throw new ChecksumMismatchError(artifact.file, expected, actual, opts.origin ?? "the upload");
    const finalDir = path.join(dir, expected);
    fs.mkdirSync(finalDir, { recursive: true, mode: 0o700 });
    const finalPath = path.join(finalDir, artifact.file);
    fs.renameSync(incoming, finalPath);
    return { path: finalPath, sha256: actual, size };
  } finally {
    await closed(out);
    await fs.promises.rm(incoming, { force: true });
  }
}

/** Resolves once a write stream has released its file (after success, error or destroy). */
function closed(stream: fs.WriteStream): Promise<void> {
  if (stream.closed) return Promise.resolve();
  if (!stream.destroyed) stream.destroy();
  return new Promise((resolve) => stream.once("close", () => resolve()));
}

/** Fill the cache by downloading on the dashboard's machine (for hosts without internet). */
export async function downloadToCache(
  artifact: ResolvedArtifact,
  opts: CacheOptions & { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<{ path: string; sha256: string; size: number }> {
  requireSum(artifact);
  if (!artifact.url) {
    throw new ArtifactError("download-failed", `${artifact.file} is a local release with no download URL: upload it instead`, { file: artifact.file });
  }
  const doFetch = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(artifact.url, { signal: opts.signal, redirect: "follow" });
  } catch (error) {
    throw new ArtifactError("download-failed", `the dashboard could not download ${artifact.url}: ${(error as Error).message}`, { url: artifact.url });
  }
  if (!res.ok || !res.body) {
    throw new ArtifactError("download-failed", `the dashboard could not download ${artifact.url}: HTTP ${res.status}`, { url: artifact.url, status: res.status });
  }
  return addToCache(artifact, Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), {
    ...opts,
    origin: artifact.url,
  });
}
