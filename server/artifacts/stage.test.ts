import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ResolvedArtifact } from "@/lib/contracts/artifacts";
import { applyArtifactAction, describeAction, fromCatalogAction, planArtifactAction } from "./apply";
import { addToCache, downloadToCache, findCached } from "./cache";
import { buildReleases, resolveArtifact, type LoadedReleases } from "./releases";
import { ArtifactError, ChecksumMismatchError } from "./errors";
import { parseSumsFile, stageArtifact, withStagedArtifact } from "./stage";
import { FakeHost } from "./testing/fake-host";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const TARBALL = Buffer.from("pretend this is containerd-1.6.20-linux-amd64.tar.gz");
const RUNC = Buffer.from("pretend this is runc.amd64");

let work: string;
let localDir: string;
let cacheDir: string;
let cat: LoadedReleases;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-stage-test-"));
  localDir = path.join(work, "local");
  cacheDir = path.join(work, "cache");
  fs.mkdirSync(localDir);
  fs.writeFileSync(path.join(localDir, "containerd-1.6.20-linux-amd64.tar.gz"), TARBALL);
  fs.writeFileSync(path.join(localDir, "runc.amd64"), RUNC);
  fs.writeFileSync(
    path.join(localDir, "releases.json"),
    JSON.stringify({
      containerd: { version: "1.6.20", file: "containerd-1.6.20-linux-amd64.tar.gz", sha256: sha(TARBALL) },
      runc: { version: "1.1.5", file: "runc.amd64", sha256: sha(RUNC) },
      cni: { version: "1.1.1", file: "cni-plugins-linux-amd64-v1.1.1.tgz", sha256: "c".repeat(64) },
    }),
  );
  cat = buildReleases({ localDir });
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const cache = () => ({ dir: cacheDir, localDir });
const pick = (component: "containerd" | "cni-plugins", version: string | null) =>
  planArtifactAction(component, version, "amd64", { kind: "extract", dir: "/usr/local" }, { releases: cat });

async function rejection(p: Promise<unknown>): Promise<ArtifactError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(ArtifactError);
    return error as ArtifactError;
  }
  throw new Error("expected the promise to reject");
}

describe("staging from the dashboard's cache (SFTP)", () => {
  it("uploads into a mktemp dir, verifies on the host, installs, and removes the staged copy", async () => {
    const host = new FakeHost();
    const lines: string[] = [];
    const action = pick("containerd", "1.6.20");
    const done = await applyArtifactAction(host, action, { delivery: { kind: "cache" }, cache: cache(), releases: cat, onLine: (l) => lines.push(l) });
    expect(done.sha256).toBe(sha(TARBALL));
    expect(host.uploads).toEqual(["/tmp/nodeprep-artifact.fake1/containerd-1.6.20-linux-amd64.tar.gz"]);
    expect(host.extracted).toEqual([{ dir: "/usr/local", file: "/tmp/nodeprep-artifact.fake1/containerd-1.6.20-linux-amd64.tar.gz", sha256: sha(TARBALL) }]);
    // order: stage (room for it? upload) -> sha256sum -> install as root -> cleanup; only installing is root
    expect(host.commands.map((c) => `${c.asRoot ? "# " : "$ "}${c.command}`)).toEqual([
      "$ mktemp -d -p /var/tmp nodeprep-artifact.XXXXXXXXXX",
      "$ df -Pk /tmp/nodeprep-artifact.fake1",
      "$ sha256sum /tmp/nodeprep-artifact.fake1/containerd-1.6.20-linux-amd64.tar.gz",
      "# mkdir -p /usr/local",
      "# tar Cxzvf /usr/local /tmp/nodeprep-artifact.fake1/containerd-1.6.20-linux-amd64.tar.gz",
      "$ rm -rf -- /tmp/nodeprep-artifact.fake1",
    ]);
    expect(host.listUnder("/tmp/nodeprep-artifact.fake1")).toEqual([]);
    expect(lines.some((l) => l === `sha256sum /tmp/nodeprep-artifact.fake1/containerd-1.6.20-linux-amd64.tar.gz: ${sha(TARBALL)}, the release list's sum: OK`)).toBe(true);
  });

  it("installs a single binary with install -m, as the getting-started guide does", async () => {
    const host = new FakeHost();
    const action = planArtifactAction("runc", "1.1.5", "amd64", { kind: "file", path: "/usr/local/sbin/runc", mode: "755" }, { releases: cat });
    expect(action).toEqual({ kind: "upload-artifact", artifactId: "runc@1.1.5~local:amd64", sha256: sha(RUNC), dest: { kind: "file", path: "/usr/local/sbin/runc", mode: "755" } });
    expect(describeAction(action, cat)).toBe(
      `runc.amd64 (runc 1.1.5, local build; sha256 ${sha(RUNC)}): verify on the host, then install as /usr/local/sbin/runc (mode 755)`,
    );
    // server/catalog's Action shape maps onto the same thing
    expect(fromCatalogAction({ artifactId: action.artifactId, sha256: action.sha256, path: "/usr/local/sbin/runc", mode: 0o755 })).toEqual(action);
    await applyArtifactAction(host, action, { delivery: { kind: "cache" }, cache: cache(), releases: cat });
    expect(host.files.get("/usr/local/sbin/runc")).toEqual(RUNC);
    expect(host.commands.find((c) => c.command.startsWith("install"))).toEqual({
      command: "install -m 755 /tmp/nodeprep-artifact.fake1/runc.amd64 /usr/local/sbin/runc",
      asRoot: true,
    });
  });

  it("refuses a corrupted copy: nothing extracted, message names file, expected and actual, staged copy removed", async () => {
    // The cache's copy was damaged after it was stored (disk, or someone editing the data dir).
    const corrupted = Buffer.concat([TARBALL, Buffer.from("!")]);
    fs.writeFileSync(path.join(localDir, "containerd-1.6.20-linux-amd64.tar.gz"), corrupted);
    const host = new FakeHost();
    const before = host.listUnder("/usr/local");
    const e = await rejection(applyArtifactAction(host, pick("containerd", "1.6.20"), { delivery: { kind: "cache" }, cache: cache(), releases: cat }));
    expect(e).toBeInstanceOf(ChecksumMismatchError);
    const m = e as ChecksumMismatchError;
    expect(m.file).toBe("containerd-1.6.20-linux-amd64.tar.gz");
    expect(m.expected).toBe(sha(TARBALL));
    expect(m.actual).toBe(sha(corrupted));
    expect(m.message).toBe(
      `sha256 mismatch for containerd-1.6.20-linux-amd64.tar.gz (from the dashboard's artifact cache): expected ${sha(TARBALL)}, got ${sha(corrupted)}. ` +
        "The file is not the published release; nothing was extracted or installed and the staged copy was removed.",
    );
    expect(host.extracted).toEqual([]);
    expect(host.commands.some((c) => c.asRoot)).toBe(false);
    expect(host.listUnder("/usr/local")).toEqual(before);
    expect(host.listUnder("/tmp/nodeprep-artifact.fake1")).toEqual([]);
  });

  it("says what to do when the file is not cached, before touching the host", async () => {
    const host = new FakeHost();
    const up = planArtifactAction("containerd", "2.2.1", "amd64", { kind: "extract", dir: "/usr/local" }, { releases: cat, source: "upstream" });
    const e = await rejection(applyArtifactAction(host, up, { delivery: { kind: "cache" }, cache: cache(), releases: cat }));
    expect(e.kind).toBe("not-cached");
    expect(e.message).toContain("containerd-2.2.1-linux-amd64.tar.gz (containerd 2.2.1, amd64) is not in the dashboard's artifact cache");
    expect(host.commands).toEqual([]);
  });

  it("cleans up when the SFTP upload fails", async () => {
    const host = new FakeHost({ uploadFails: "No space left on device" });
    const e = await rejection(applyArtifactAction(host, pick("containerd", "1.6.20"), { delivery: { kind: "cache" }, cache: cache(), releases: cat }));
    expect(e.kind).toBe("upload-failed");
    expect(e.message).toBe("uploading containerd-1.6.20-linux-amd64.tar.gz to fake-1 failed: No space left on device");
    expect(host.commands.at(-1)!.command).toBe("rm -rf -- /tmp/nodeprep-artifact.fake1");
    expect(host.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
  });

  it("a disk too full for the file is said before uploading: host, path, space needed and free; nothing installed, staging removed", async () => {
    const host = new FakeHost({ freeBytes: 20 });
    const before = host.listUnder("/usr/local");
    const e = await rejection(applyArtifactAction(host, pick("containerd", "1.6.20"), { delivery: { kind: "cache" }, cache: cache(), releases: cat }));
    expect(e.kind).toBe("no-space");
    expect(e.message).toBe(
      `fake-1 has no room for containerd-1.6.20-linux-amd64.tar.gz in /tmp/nodeprep-artifact.fake1: it needs ${(TARBALL.length / 1048576).toFixed(1)} MiB, and 0.0 MiB is free there. ` +
        "Nothing was installed and the staged files were removed; free some space on that file system (or give ops another TMPDIR) and run the step again",
    );
    expect(host.uploads).toEqual([]);
    expect(host.listUnder("/usr/local")).toEqual(before);
    expect(host.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
  });

  it("a disk that fills up during the upload (SFTP's bare 'Failure') is reported as full, and cleaned up", async () => {
    const host = new FakeHost({ freeBytes: TARBALL.length + 10 });
    const upload = host.upload.bind(host);
    // Something else takes the space between the check and the upload.
    host.upload = async (source, remotePath, options) => {
      host.files.set("/tmp/someone-elses-file", Buffer.alloc(30));
      return upload(source, remotePath, options);
    };
    const e = await rejection(applyArtifactAction(host, pick("containerd", "1.6.20"), { delivery: { kind: "cache" }, cache: cache(), releases: cat }));
    expect(e.kind).toBe("no-space");
    expect(e.message).toMatch(/^fake-1 has no room for containerd-1\.6\.20-linux-amd64\.tar\.gz in \/tmp\/nodeprep-artifact\.fake1: it needs /);
    expect(host.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
    expect(host.extracted).toEqual([]);
  });

  it("cleans up when installing fails after a good checksum", async () => {
    const host = new FakeHost({ installFails: "install: cannot create regular file '/usr/local/sbin/runc': Read-only file system" });
    const action = planArtifactAction("runc", "1.1.5", "amd64", { kind: "file", path: "/usr/local/sbin/runc", mode: "755" }, { releases: cat });
    const e = await rejection(applyArtifactAction(host, action, { delivery: { kind: "cache" }, cache: cache(), releases: cat }));
    expect(e.kind).toBe("host-command-failed");
    expect(e.message).toContain("Read-only file system");
    expect(host.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
  });

  it("withStagedArtifact removes the staged copy when the caller's own step throws", async () => {
    const host = new FakeHost();
    const artifact = resolveArtifact("runc", "1.1.5", "amd64", { releases: cat });
    await expect(
      withStagedArtifact(host, artifact, { delivery: { kind: "cache" }, cache: cache() }, async () => {
        throw new Error("the step's own check failed");
      }),
    ).rejects.toThrow("the step's own check failed");
    expect(host.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
  });

  it("refuses a plan whose sum the release list no longer has", async () => {
    const host = new FakeHost();
    const action = { ...pick("containerd", "1.6.20"), sha256: "0".repeat(64) };
    const e = await rejection(applyArtifactAction(host, action, { delivery: { kind: "cache" }, cache: cache(), releases: cat }));
    expect(e.message).toContain("plan again");
    expect(host.commands).toEqual([]);
  });
});

describe("host downloads (upstream URL or a mirror)", () => {
  const upstream = () => planArtifactAction("runc", "1.3.4", "amd64", { kind: "file", path: "/usr/local/sbin/runc", mode: "755" }, { releases: cat, source: "upstream" });
  const url = "https://github.com/opencontainers/runc/releases/download/v1.3.4/runc.amd64";

  it("uses curl when the host has it, and still checks the sum on the host", async () => {
    // The fake URL serves bytes that are not upstream's runc 1.3.4: the check must catch it.
    const host = new FakeHost({ urls: { [url]: "not runc" } });
    const e = await rejection(applyArtifactAction(host, upstream(), { delivery: { kind: "upstream" }, releases: cat }));
    expect(host.commands[2].command).toBe(`curl -fsSL --retry 3 --connect-timeout 20 -o /tmp/nodeprep-artifact.fake1/runc.amd64 ${url}`);
    expect(e).toBeInstanceOf(ChecksumMismatchError);
    expect(e.message).toContain(`(from ${url}): expected 5966ca40b6187b30e33bfc299c5f1fe72e8c1aa01cf3fefdadf391668f47f103, got ${sha("not runc")}`);
    expect(host.files.has("/usr/local/sbin/runc")).toBe(false);
  });

  it("falls back to wget, and refuses with advice when there is neither", async () => {
    const body = Buffer.from("runc bytes");
    const artifact: ResolvedArtifact = { ...resolveArtifact("runc", "1.3.4", "amd64", { releases: cat, source: "upstream" }), sha256: sha(body) };
    const wgetHost = new FakeHost({ tools: { curl: false, wget: true }, urls: { [url]: body } });
    const staged = await stageArtifact(wgetHost, artifact, { delivery: { kind: "upstream" } });
    expect(wgetHost.commands[2].command).toBe(`wget -q -O /tmp/nodeprep-artifact.fake1/runc.amd64 ${url}`);
    expect(staged).toMatchObject({ remotePath: "/tmp/nodeprep-artifact.fake1/runc.amd64", sha256: sha(body) });
    await staged.cleanup();
    await staged.cleanup(); // idempotent
    expect(wgetHost.commands.filter((c) => c.command.startsWith("rm "))).toHaveLength(1);

    const bare = new FakeHost({ tools: { curl: false, wget: false } });
    const e = await rejection(stageArtifact(bare, artifact, { delivery: { kind: "upstream" } }));
    expect(e.kind).toBe("no-downloader");
    expect(e.message).toBe("fake-1 has neither curl nor wget, so it cannot download; install one, or deliver from the dashboard's cache over SFTP");
    expect(bare.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
  });

  it("a download that cannot be written for want of space says so (curl exit 23)", async () => {
    const body = Buffer.alloc(4096, 1);
    const artifact: ResolvedArtifact = { ...resolveArtifact("runc", "1.3.4", "amd64", { releases: cat, source: "upstream" }), sha256: sha(body) };
    const host = new FakeHost({ urls: { [url]: body }, freeBytes: 1000 });
    const e = await rejection(stageArtifact(host, artifact, { delivery: { kind: "upstream" } }));
    expect(e.kind).toBe("no-space");
    expect(e.message).toMatch(/^fake-1 has no room for runc\.amd64 in \/tmp\/nodeprep-artifact\.fake1: it needs more than the 0\.0 MiB free there\./);
    expect(host.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
  });

  it("reports a failed download (no internet) and cleans up", async () => {
    const host = new FakeHost();
    const e = await rejection(applyArtifactAction(host, upstream(), { delivery: { kind: "upstream" }, releases: cat }));
    expect(e.kind).toBe("download-failed");
    expect(e.message).toContain(`fake-1 could not download ${url} with curl (exit 22)`);
    expect(e.message).toContain("deliver from the dashboard's cache instead");
    expect(host.dirs.has("/tmp/nodeprep-artifact.fake1")).toBe(false);
  });

  it("downloads from a mirror: {file} is replaced, else the file name is appended", async () => {
    const body = Buffer.from("mirrored runc");
    const artifact: ResolvedArtifact = { ...resolveArtifact("runc", "1.3.4", "amd64", { releases: cat, source: "upstream" }), sha256: sha(body) };
    const host = new FakeHost({ urls: { "http://mirror.lan/k8s/runc.amd64": body, "http://mirror.lan/get?f=runc.amd64": body } });
    const a = await stageArtifact(host, artifact, { delivery: { kind: "mirror", url: "http://mirror.lan/k8s/" } });
    await a.cleanup();
    const b = await stageArtifact(host, artifact, { delivery: { kind: "mirror", url: "http://mirror.lan/get?f={file}" } });
    await b.cleanup();
    expect(host.commands.filter((c) => c.command.startsWith("curl")).map((c) => c.command.split(" ").at(-1))).toEqual([
      "http://mirror.lan/k8s/runc.amd64",
      "'http://mirror.lan/get?f=runc.amd64'",
    ]);
  });

  it("with no published sum, verifies against the project's checksum file fetched by the host", async () => {
    const body = Buffer.from("runc from a version the catalogue has no sum for");
    const base = resolveArtifact("runc", "1.3.4", "amd64", { releases: cat, source: "upstream" });
    const artifact: ResolvedArtifact = { ...base, sha256: null };
    const sums = `${"1".repeat(64)}  runc.arm64\n${sha(body)}  runc.amd64\n`;
    const host = new FakeHost({ urls: { [url]: body, [base.sumsUrl!]: sums } });
    const staged = await stageArtifact(host, artifact, { delivery: { kind: "upstream" } });
    expect(staged.sha256).toBe(sha(body));
    expect(host.commands.some((c) => c.command === `curl -fsSL --retry 3 --connect-timeout 20 -o - ${base.sumsUrl}`)).toBe(true);
    await staged.cleanup();
  });

  it("parses checksum files in the projects' formats", () => {
    const h = "ab".repeat(32);
    expect(parseSumsFile(`${h}  containerd-2.2.1-linux-amd64.tar.gz\n`, "containerd-2.2.1-linux-amd64.tar.gz")).toBe(h);
    expect(parseSumsFile(`${h} *bin/runc.amd64\n`, "runc.amd64")).toBe(h);
    expect(parseSumsFile(`${h}\n`, "cni-plugins-linux-amd64-v1.8.0.tgz")).toBe(h);
    expect(parseSumsFile(`${h}  runc.arm64\n`, "runc.amd64")).toBeNull();
  });
});

describe("the dashboard's cache", () => {
  it("stores a file under its sum only when the bytes match, and refuses a mismatch with both sums", async () => {
    const cdLocal = resolveArtifact("containerd", "1.6.20", "amd64", { releases: cat });
    const stored = await addToCache(cdLocal, Readable.from([TARBALL]), { dir: cacheDir, origin: "an upload by alice" });
    expect(stored.path).toBe(path.join(cacheDir, sha(TARBALL), "containerd-1.6.20-linux-amd64.tar.gz"));
    expect(findCached(cdLocal, { dir: cacheDir, localDir: null })).toBe(stored.path);

    const up = resolveArtifact("containerd", "2.2.1", "arm64", { releases: cat, source: "upstream" });
    const e = await rejection(addToCache(up, Readable.from([Buffer.from("evil")]), { dir: cacheDir, origin: "an upload by mallory" }));
    expect(e.message).toContain(`sha256 mismatch for containerd-2.2.1-linux-arm64.tar.gz (from an upload by mallory): expected ${up.sha256}, got ${sha("evil")}`);
    expect(fs.readdirSync(cacheDir).sort()).toEqual([sha(TARBALL)]); // no leftover .incoming file
    expect(findCached(up, { dir: cacheDir, localDir: null })).toBeNull();
  });

  it("refuses a file over the size limit without keeping any of it", async () => {
    const cdLocal = resolveArtifact("containerd", "1.6.20", "amd64", { releases: cat });
    const e = await rejection(addToCache(cdLocal, Readable.from([TARBALL]), { dir: cacheDir, maxBytes: 10 }));
    expect(e.message).toContain("is larger than 10 bytes");
    expect(e.kind).toBe("too-large");
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  it("leaves no .incoming file when the refusal comes before the file is even open (a busy machine)", async () => {
    // Under load, opening the file waits in libuv's thread pool. Hold all of its threads in a read of an
    // empty FIFO (queued before the cache's open, so that open waits behind them): the refusal then
    // comes while the cache file is still being opened, as it did on a busy CI machine. One byte per
    // read releases them, whenever each got to run. Everything is awaited; nothing depends on timing.
    const fifo = path.join(work, "hold");
    execFileSync("mkfifo", [fifo]);
    const fd = fs.openSync(fifo, fs.constants.O_RDWR); // Linux: opening a FIFO read-write never blocks
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const held = Array.from({ length: threads }, () => new Promise((resolve, reject) => fs.read(fd, Buffer.alloc(1), 0, 1, null, (e) => (e ? reject(e) : resolve(null)))));
    const cdLocal = resolveArtifact("containerd", "1.6.20", "amd64", { releases: cat });
    const refused = addToCache(cdLocal, Readable.from([TARBALL]), { dir: cacheDir, maxBytes: 10 }).catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    fs.writeSync(fd, Buffer.alloc(threads)); // release the threads
    await Promise.all(held);
    fs.closeSync(fd);
    expect(((await refused) as ArtifactError).kind).toBe("too-large");
    // Let whatever the refusal left queued in the pool (an open, a close) run before looking.
    for (let i = 0; i < 16; i++) await fs.promises.stat(work);
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  it("downloads on the dashboard's machine and verifies before storing", async () => {
    const up = resolveArtifact("runc", "1.3.4", "amd64", { releases: cat, source: "upstream" });
    const body = Buffer.from("definitely runc");
    const artifact = { ...up, sha256: sha(body) };
    const seen: string[] = [];
    const fetchImpl = (async (u: string) => {
      seen.push(u);
      return new Response(body);
    }) as unknown as typeof fetch;
    const stored = await downloadToCache(artifact, { dir: cacheDir, fetchImpl });
    expect(seen).toEqual([up.url]);
    expect(fs.readFileSync(stored.path)).toEqual(body);

    const notFound = (async () => new Response("nope", { status: 404 })) as unknown as typeof fetch;
    const e = await rejection(downloadToCache(up, { dir: cacheDir, fetchImpl: notFound }));
    expect(e.message).toBe(`the dashboard could not download ${up.url}: HTTP 404`);
  });
});
