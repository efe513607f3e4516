import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { formatArtifactId, type ArtifactId, type ResolvedArtifact } from "@/lib/contracts/artifacts";
import { resolveAction } from "./apply";
import { addToCache, cacheDir, MAX_ARTIFACT_BYTES, type CacheOptions } from "./cache";
import type { LoadedReleases } from "./releases";
import { ArtifactError } from "./errors";

// Operator uploads into the cache, in chunks: every API request goes through route(), which refuses
// bodies over 1 MB (server/http/route.ts), and a 35 MB tarball should survive a flaky link anyway.
//   begin(artifactId, size) -> uploadId;  append(uploadId, offset, bytes) ...;  complete(uploadId)
// `complete` hashes the whole file and stores it only if it matches the release list's sum
// (addToCache), so a half-finished or wrong upload never becomes a cached artifact.

export const UPLOAD_CHUNK_BYTES = 768 * 1024;
const STALE_MS = 24 * 60 * 60 * 1000;

const Meta = z.object({ artifactId: z.string(), size: z.number().int(), by: z.string(), startedAt: z.string() });
type Meta = z.infer<typeof Meta>;
const UploadId = z.string().regex(/^[a-f0-9]{24}$/);

const uploadsDir = (opts: CacheOptions) => path.join(cacheDir(opts), ".uploads");
const paths = (opts: CacheOptions, id: string) => {
  if (!UploadId.safeParse(id).success) throw new ArtifactError("unknown-release", "no such upload", { id });
  return { part: path.join(uploadsDir(opts), `${id}.part`), meta: path.join(uploadsDir(opts), `${id}.json`) };
};

function readMeta(opts: CacheOptions, id: string): Meta {
  const p = paths(opts, id);
  try {
    return Meta.parse(JSON.parse(fs.readFileSync(p.meta, "utf8")));
  } catch {
    throw new ArtifactError("unknown-release", "no such upload (it finished, failed, or expired)", { id });
  }
}

function sweepStale(opts: CacheOptions, olderThanMs = STALE_MS) {
  const dir = uploadsDir(opts);
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs >= olderThanMs) fs.rmSync(p, { force: true });
    } catch (error) {
      // Another request finished (and removed) this upload meanwhile.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

/**
 * At start-up nothing is being written: files a stopped dashboard left half-written (`.incoming-*` in
 * the cache, uploads nobody can finish) are removed, and the folders are made private again (0700;
 * an older version created them with the default mode).
 */
export function tidyArtifactFiles(opts: CacheOptions = {}): { removed: string[] } {
  const dir = cacheDir(opts);
  const removed: string[] = [];
  if (!fs.existsSync(dir)) return { removed };
  fs.chmodSync(dir, 0o700);
  for (const f of fs.readdirSync(dir)) {
    if (f.startsWith(".incoming-")) {
      fs.rmSync(path.join(dir, f), { force: true });
      removed.push(f);
    }
  }
  const uploads = uploadsDir(opts);
  if (fs.existsSync(uploads)) {
    fs.chmodSync(uploads, 0o700);
    removed.push(...fs.readdirSync(uploads).map((f) => `.uploads/${f}`));
    sweepStale(opts, 0);
  }
  return { removed };
}

export function beginUpload(
  artifactId: z.infer<typeof ArtifactId>,
  size: number,
  by: string,
  opts: CacheOptions & { releases?: LoadedReleases } = {},
): { uploadId: string; artifact: ResolvedArtifact; chunkBytes: number } {
  const artifact = resolveAction({ artifactId }, opts.releases);
  if (!artifact.sha256) {
    throw new ArtifactError("no-checksum", `${artifact.file} has no published sha256 in the catalogue, so an upload of it cannot be verified`, {});
  }
  if (!Number.isInteger(size) || size <= 0 || size > MAX_ARTIFACT_BYTES) {
    throw new ArtifactError("too-large", `an artifact upload must be between 1 byte and ${MAX_ARTIFACT_BYTES} bytes; ${size} bytes were announced`, { size });
  }
  sweepStale(opts);
  fs.mkdirSync(uploadsDir(opts), { recursive: true, mode: 0o700 });
  const uploadId = randomBytes(12).toString("hex");
  const p = paths(opts, uploadId);
  fs.writeFileSync(p.part, Buffer.alloc(0), { mode: 0o600 });
  fs.writeFileSync(p.meta, JSON.stringify({ artifactId: formatArtifactId(artifact), size, by, startedAt: new Date().toISOString() } satisfies Meta), { mode: 0o600 });
  return { uploadId, artifact, chunkBytes: UPLOAD_CHUNK_BYTES };
}

/** Append a chunk at `offset`, which must be the bytes received so far (a retried chunk is refused, not doubled). */
export function appendUpload(uploadId: string, offset: number, chunk: Buffer, opts: CacheOptions = {}): { received: number } {
  const meta = readMeta(opts, uploadId);
  const p = paths(opts, uploadId);
  const received = fs.statSync(p.part).size;
  if (offset !== received) {
    throw new ArtifactError("upload-failed", `chunk at offset ${offset} does not follow the ${received} bytes received so far`, { received });
  }
  if (received + chunk.length > meta.size) {
    throw new ArtifactError("upload-failed", `the upload is longer than the ${meta.size} bytes announced`, { received });
  }
  fs.appendFileSync(p.part, chunk);
  return { received: received + chunk.length };
}

/** Verify the whole file against the release list and move it into the cache; the upload is gone either way. */
export async function completeUpload(
  uploadId: string,
  opts: CacheOptions & { releases?: LoadedReleases } = {},
): Promise<{ artifact: ResolvedArtifact; path: string; sha256: string; size: number; by: string }> {
  const meta = readMeta(opts, uploadId);
  const p = paths(opts, uploadId);
  try {
    const received = fs.statSync(p.part).size;
    if (received !== meta.size) {
      throw new ArtifactError("upload-failed", `the upload is incomplete: ${received} of ${meta.size} bytes`, { received });
    }
    const artifact = resolveAction({ artifactId: meta.artifactId }, opts.releases);
    const stored = await addToCache(artifact, fs.createReadStream(p.part), { ...opts, origin: `an upload by ${meta.by}` });
    return { artifact, ...stored, by: meta.by };
  } finally {
    fs.rmSync(p.part, { force: true });
    fs.rmSync(p.meta, { force: true });
  }
}
