import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildReleases, resolveArtifact, type LoadedReleases } from "./releases";
import { findCached } from "./cache";
import { ArtifactError } from "./errors";
import { appendUpload, beginUpload, completeUpload, tidyArtifactFiles } from "./uploads";
import { releasesView } from "./view";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const RUNC = Buffer.from("x".repeat(2000));
let work: string;
let cat: LoadedReleases;
let cache: { dir: string; localDir: string | null; releases: LoadedReleases };

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-uploads-test-"));
  const localDir = path.join(work, "local");
  fs.mkdirSync(localDir);
  fs.writeFileSync(
    path.join(localDir, "releases.json"),
    JSON.stringify({
      containerd: { version: "1.6.20", file: "containerd-1.6.20-linux-amd64.tar.gz", sha256: "a".repeat(64) },
      runc: { version: "1.1.5", file: "runc.amd64", sha256: sha(RUNC) },
      cni: { version: "1.1.1", file: "cni-plugins-linux-amd64-v1.1.1.tgz", sha256: "c".repeat(64) },
    }),
  );
  cat = buildReleases({ localDir });
  cache = { dir: path.join(work, "cache"), localDir: null, releases: cat };
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function upload(bytes: Buffer, chunk: number) {
  const { uploadId } = beginUpload("runc@1.1.5~local:amd64", bytes.length, "alice", cache);
  for (let off = 0; off < bytes.length; off += chunk) appendUpload(uploadId, off, bytes.subarray(off, off + chunk), cache);
  return uploadId;
}

describe("chunked operator uploads into the cache", () => {
  it("assembles the chunks, verifies the whole file and stores it under its sum", async () => {
    const done = await completeUpload(upload(RUNC, 700), cache);
    expect(done).toMatchObject({ sha256: sha(RUNC), size: 2000, by: "alice" });
    expect(fs.readFileSync(done.path)).toEqual(RUNC);
    expect(fs.readdirSync(path.join(cache.dir, ".uploads"))).toEqual([]);
    const view = releasesView({ ...cache, releases: cat });
    const runc = view.releases.find((r) => r.component === "runc" && r.source === "local")!;
    expect(runc.files).toEqual([{ artifactId: "runc@1.1.5~local:amd64", arch: "amd64", file: "runc.amd64", url: null, sha256: sha(RUNC), cached: true }]);
    expect(runc.isDefault).toBe(true);
    expect(view.releases.find((r) => r.component === "runc" && r.version === "1.3.4")!.files.every((f) => !f.cached)).toBe(true);
  });

  it("refuses a wrong file on completion, naming both sums, and keeps nothing", async () => {
    const wrong = Buffer.from("y".repeat(2000));
    const id = upload(wrong, 1000);
    await expect(completeUpload(id, cache)).rejects.toThrow(`sha256 mismatch for runc.amd64 (from an upload by alice): expected ${sha(RUNC)}, got ${sha(wrong)}`);
    expect(findCached(resolveArtifact("runc", "1.1.5", "amd64", { releases: cat }), { dir: cache.dir, localDir: null })).toBeNull();
    expect(fs.readdirSync(path.join(cache.dir, ".uploads"))).toEqual([]);
    await expect(completeUpload(id, cache)).rejects.toThrow("no such upload");
  });

  it("refuses an out-of-order or overlong chunk and an incomplete upload", async () => {
    const { uploadId } = beginUpload("runc@1.1.5~local:amd64", 2000, "alice", cache);
    appendUpload(uploadId, 0, RUNC.subarray(0, 1000), cache);
    expect(() => appendUpload(uploadId, 0, RUNC.subarray(0, 1000), cache)).toThrow("chunk at offset 0 does not follow the 1000 bytes received so far");
    expect(() => appendUpload(uploadId, 1000, Buffer.alloc(1001), cache)).toThrow("longer than the 2000 bytes announced");
    await expect(completeUpload(uploadId, cache)).rejects.toThrow("the upload is incomplete: 1000 of 2000 bytes");
  });

  it("refuses to start an upload it could not verify, or of an unknown release", () => {
    expect(() => beginUpload("runc@9.9.9:amd64", 10, "alice", cache)).toThrow(ArtifactError);
    expect(() => beginUpload("runc@1.1.5~local:amd64", 0, "alice", cache)).toThrow("between 1 byte and");
    expect(() => appendUpload("../../etc/passwd", 0, Buffer.alloc(1), cache)).toThrow("no such upload");
  });
});

describe("files on the dashboard's disk", () => {
  const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

  it("keeps uploads and cached files private (0700 folders, 0600 files)", async () => {
    const { uploadId } = beginUpload("runc@1.1.5~local:amd64", RUNC.length, "alice", cache);
    const uploads = path.join(cache.dir, ".uploads");
    expect([mode(cache.dir), mode(uploads)]).toEqual(["700", "700"]);
    expect(fs.readdirSync(uploads).map((f) => mode(path.join(uploads, f)))).toEqual(["600", "600"]);
    appendUpload(uploadId, 0, RUNC, cache);
    const done = await completeUpload(uploadId, cache);
    expect([mode(path.dirname(done.path)), mode(done.path)]).toEqual(["700", "600"]);
  });

  it("at start-up removes what a stopped dashboard left half-written, and tightens old folders", () => {
    beginUpload("runc@1.1.5~local:amd64", RUNC.length, "alice", cache);
    fs.writeFileSync(path.join(cache.dir, ".incoming-0123456789ab"), "half a tarball");
    fs.chmodSync(cache.dir, 0o755);
    const { removed } = tidyArtifactFiles(cache);
    expect(removed).toHaveLength(3);
    expect(fs.readdirSync(cache.dir)).toEqual([".uploads"]);
    expect(fs.readdirSync(path.join(cache.dir, ".uploads"))).toEqual([]);
    expect(mode(cache.dir)).toBe("700");
  });

  it("answers a declared size over the limit as too large (413), not as a failed download", () => {
    const e = (() => {
      try {
        beginUpload("runc@1.1.5~local:amd64", 10 * 1024 * 1024 * 1024, "alice", cache);
      } catch (error) {
        return error as ArtifactError;
      }
    })();
    expect(e?.kind).toBe("too-large");
    expect(e?.message).toContain("10737418240 bytes were announced");
  });
});
