import "server-only";
import fs from "node:fs";
import type { Delivery, ResolvedArtifact } from "@/lib/contracts/artifacts";
import { quote } from "../ssh/quote";
import type { ExecResult, RemoteHost } from "../ssh/types";
import { findCached, type CacheOptions } from "./cache";
import { ArtifactError, ChecksumMismatchError } from "./errors";

// Getting one release file onto a host, three ways, one check:
//   upstream  the host downloads from the project's URL (curl or wget, whichever it has)
//   cache     the dashboard uploads its cached copy over SFTP (hosts without internet)
//   mirror    the host downloads from an operator's mirror
// then `sha256sum` runs ON THE HOST against the release list's sum before anything is extracted. Files
// land in a fresh `mktemp -d` directory under /var/tmp owned by the login user (no root needed until
// installing), which is removed on failure here and by `cleanup()` on success. /var/tmp, not /tmp: /tmp
// is a RAM-backed tmpfs on Debian 13 and many others, too small for a 35 MB tarball on a small node;
// the plan's seed-style commands (server/catalog/seed-commands.ts) name /var/tmp too.

export interface StageOptions {
  delivery: Delivery;
  signal?: AbortSignal;
  /** SFTP progress (cache delivery). */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Human-readable progress lines for the run's event stream. */
  onLine?: (line: string) => void;
  cache?: CacheOptions;
  /** Per download on the host; default 15 minutes (a 35 MB tarball over a slow link). */
  downloadTimeoutMs?: number;
  /** Per short command (mktemp, sha256sum, rm); default 2 minutes (sha256sum of 35 MB on a small VM). */
  commandTimeoutMs?: number;
}

export interface StagedArtifact {
  /** The verified file on the host. */
  remotePath: string;
  remoteDir: string;
  sha256: string;
  /** Remove the staging directory. Idempotent; never throws (a leftover in /tmp is reported, not fatal). */
  cleanup(): Promise<void>;
}

/** Where staging directories are made (and where the plan tells a person to put a file). */
export const STAGING_PARENT = "/var/tmp";
const STAGING_DIR = /^\/[A-Za-z0-9._/-]*nodeprep-artifact\.[A-Za-z0-9]+$/;

function tail(text: string, lines = 5): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

async function run(host: RemoteHost, what: string, command: string, opts: { signal?: AbortSignal; timeoutMs: number; asRoot?: boolean }): Promise<ExecResult> {
  const r = await host.exec(command, { signal: opts.signal, timeoutMs: opts.timeoutMs, asRoot: opts.asRoot });
  if (r.code !== 0) {
    throw new ArtifactError(
      "host-command-failed",
      `${what} failed on ${host.target.name} (exit ${r.code ?? r.signal}): ${tail(r.stderr) || tail(r.stdout) || "no output"}`,
      { command, code: r.code, stderr: tail(r.stderr) },
    );
  }
  return r;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Free bytes for the login user where `dir` lives (`df -P`: POSIX columns, 1024-byte blocks), or null. */
export async function freeSpace(host: RemoteHost, dir: string, opts: { signal?: AbortSignal; timeoutMs: number }): Promise<number | null> {
  const r = await host.exec(`df -Pk ${quote(dir)}`, { signal: opts.signal, timeoutMs: opts.timeoutMs }).catch(() => null);
  const fields = r?.code === 0 ? r.stdout.trim().split("\n").at(-1)?.trim().split(/\s+/) : undefined;
  const kib = fields && fields.length >= 6 ? Number(fields[3]) : NaN;
  return Number.isFinite(kib) ? kib * 1024 : null;
}

function noSpace(host: RemoteHost, artifact: ResolvedArtifact, dir: string, free: number, need: number | null): ArtifactError {
  const needs = need === null ? `more than the ${mib(free)} free there` : `${mib(need)}, and ${mib(free)} is free there`;
  return new ArtifactError(
    "no-space",
    `${host.target.name} has no room for ${artifact.file} in ${dir}: it needs ${needs}. Nothing was installed and the staged files were removed; ` +
      `free some space on that file system (or give ${host.target.username} another TMPDIR) and run the step again`,
    { host: host.target.name, dir, free, need },
  );
}

/** The URL the host fetches from, for the download deliveries. */
export function downloadUrl(artifact: ResolvedArtifact, delivery: Delivery): string {
  if (delivery.kind === "mirror") {
    return delivery.url.includes("{file}")
      ? delivery.url.replaceAll("{file}", encodeURIComponent(artifact.file))
      : `${delivery.url.replace(/\/+$/, "")}/${encodeURIComponent(artifact.file)}`;
  }
  if (!artifact.url) {
    throw new ArtifactError(
      "download-failed",
      `${artifact.file} is a local release with no upstream URL: deliver it from the dashboard's cache instead`,
      { file: artifact.file },
    );
  }
  return artifact.url;
}

type Downloader = "curl" | "wget";

async function findDownloader(host: RemoteHost, opts: { signal?: AbortSignal; timeoutMs: number }): Promise<Downloader> {
  const r = await run(
    host,
    "looking for curl or wget",
    "if command -v curl >/dev/null 2>&1; then echo curl; elif command -v wget >/dev/null 2>&1; then echo wget; else echo none; fi",
    opts,
  );
  const tool = r.stdout.trim();
  if (tool === "curl" || tool === "wget") return tool;
  throw new ArtifactError(
    "no-downloader",
    `${host.target.name} has neither curl nor wget, so it cannot download; install one, or deliver from the dashboard's cache over SFTP`,
    {},
  );
}

/** `curl`/`wget` command line writing `url` to `out` ("-" = stdout). Both fail on HTTP errors. */
export function downloadCommand(tool: Downloader, url: string, out: string): string {
  return tool === "curl"
    ? `curl -fsSL --retry 3 --connect-timeout 20 -o ${quote(out)} ${quote(url)}`
    : `wget -q -O ${quote(out)} ${quote(url)}`;
}

/** Pick the sum for `file` out of a checksum file (`<hex>  <name>`, `<hex> *<name>`, or a lone hex). */
export function parseSumsFile(text: string, file: string): string | null {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line);
    if (m && m[2].split("/").pop() === file) return m[1].toLowerCase();
  }
  if (lines.length === 1 && /^[0-9a-fA-F]{64}$/.test(lines[0])) return lines[0].toLowerCase();
  return null;
}

/** The first field of `sha256sum` output. */
export function parseSha256sum(stdout: string): string | null {
  const m = /^([0-9a-f]{64})\s/.exec(stdout.trim() + " ");
  return m ? m[1] : null;
}

/**
 * Stage one artifact on a host and verify its sha256 there. On any failure (including a mismatch,
 * which throws ChecksumMismatchError naming file, expected and actual sums) the staging directory is
 * removed before the error propagates, and nothing outside it has been touched.
 */
export async function stageArtifact(host: RemoteHost, artifact: ResolvedArtifact, opts: StageOptions): Promise<StagedArtifact> {
  const cmdTimeout = opts.commandTimeoutMs ?? 120_000;
  const dlTimeout = opts.downloadTimeoutMs ?? 900_000;
  const short = { signal: opts.signal, timeoutMs: cmdTimeout };
  const say = (line: string) => opts.onLine?.(line);

  // Fail before touching the host when the dashboard can already tell it won't work.
  let localCopy: string | null = null;
  if (opts.delivery.kind === "cache") {
    localCopy = findCached(artifact, opts.cache);
    if (!localCopy) {
      throw new ArtifactError(
        "not-cached",
        `${artifact.file} (${artifact.component} ${artifact.version}, ${artifact.arch}) is not in the dashboard's artifact cache: ` +
          "upload it on the artifacts panel, let the dashboard download it, or let the host download it",
        { file: artifact.file },
      );
    }
  }
  const url = opts.delivery.kind === "cache" ? null : downloadUrl(artifact, opts.delivery);

  const made = await run(host, "creating a staging directory (mktemp -d)", `mktemp -d -p ${STAGING_PARENT} nodeprep-artifact.XXXXXXXXXX`, short);
  const remoteDir = made.stdout.trim();
  if (!STAGING_DIR.test(remoteDir)) {
    throw new ArtifactError("host-command-failed", `mktemp on ${host.target.name} printed an unexpected path: ${JSON.stringify(remoteDir)}`, {});
  }
  const remotePath = `${remoteDir}/${artifact.file}`;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    // Not tied to the caller's signal: a cancelled run still removes what it staged.
    const r = await host.exec(`rm -rf -- ${quote(remoteDir)}`, { timeoutMs: cmdTimeout }).catch((e: Error) => ({ code: -1, stderr: e.message }) as const);
    if (r.code !== 0) say(`warning: could not remove ${remoteDir} on ${host.target.name}: ${tail(r.stderr) || "no output"}`);
  };

  try {
    let origin: string;
    let expected = artifact.sha256;
    if (localCopy) {
      origin = "the dashboard's artifact cache";
      // A full disk is said before a byte is sent, with the numbers (and checked again if the upload fails).
      const need = fs.statSync(localCopy).size;
      const free = await freeSpace(host, remoteDir, short);
      if (free !== null && free < need) throw noSpace(host, artifact, remoteDir, free, need);
      say(`uploading ${artifact.file} from the dashboard's cache over SFTP to ${remotePath}`);
      try {
        await host.upload(localCopy, remotePath, { mode: 0o600, signal: opts.signal, onProgress: opts.onProgress });
      } catch (error) {
        const after = opts.signal?.aborted ? null : await freeSpace(host, remoteDir, short);
        if (after !== null && after < need) throw noSpace(host, artifact, remoteDir, after, need);
        throw new ArtifactError("upload-failed", `uploading ${artifact.file} to ${host.target.name} failed: ${(error as Error).message}`, { file: artifact.file });
      }
    } else {
      origin = url!;
      const tool = await findDownloader(host, short);
      const download = downloadCommand(tool, url!, remotePath);
      say(download);
      const r = await host.exec(download, { signal: opts.signal, timeoutMs: dlTimeout });
      // curl 23 / wget 3: the file could not be written (a full disk, most often): say so with the numbers.
      if ((tool === "curl" && r.code === 23) || (tool === "wget" && r.code === 3)) {
        const free = await freeSpace(host, remoteDir, short);
        if (free !== null && free < 1048576) throw noSpace(host, artifact, remoteDir, free, null);
      }
      if (r.code !== 0) {
        throw new ArtifactError(
          "download-failed",
          `${host.target.name} could not download ${url} with ${tool} (exit ${r.code ?? r.signal}): ${tail(r.stderr) || "no output"}. ` +
            "If the host has no internet access, deliver from the dashboard's cache instead.",
          { url, code: r.code },
        );
      }
      if (!expected) {
        if (!artifact.sumsUrl) throw new ArtifactError("no-checksum", `${artifact.file} has neither a published sha256 nor a checksum file to verify against`, {});
        say(`fetching the published checksum file ${artifact.sumsUrl}`);
        const sums = await host.exec(downloadCommand(tool, artifact.sumsUrl, "-"), { signal: opts.signal, timeoutMs: cmdTimeout });
        expected = sums.code === 0 ? parseSumsFile(sums.stdout, artifact.file) : null;
        if (!expected) {
          throw new ArtifactError("no-checksum", `could not read the sha256 of ${artifact.file} from ${artifact.sumsUrl}: ${tail(sums.stderr) || "no matching line"}`, {});
        }
      }
    }
    if (!expected) throw new ArtifactError("no-checksum", `${artifact.file} has no sha256 to verify against`, {});

    const summed = await run(host, `sha256sum of ${artifact.file}`, `sha256sum ${quote(remotePath)}`, short);
    const actual = parseSha256sum(summed.stdout);
    if (!actual) throw new ArtifactError("host-command-failed", `sha256sum on ${host.target.name} printed no sum: ${tail(summed.stdout)}`, {});
    if (actual !== expected) throw new ChecksumMismatchError(artifact.file, expected, actual, origin);
    say(`sha256sum ${remotePath}: ${actual}, the release list's sum: OK`);
    return { remotePath, remoteDir, sha256: actual, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Stage, hand the verified file to `fn`, and always clean up. */
export async function withStagedArtifact<T>(
  host: RemoteHost,
  artifact: ResolvedArtifact,
  opts: StageOptions,
  fn: (staged: StagedArtifact) => Promise<T>,
): Promise<T> {
  const staged = await stageArtifact(host, artifact, opts);
  try {
    return await fn(staged);
  } finally {
    await staged.cleanup();
  }
}
