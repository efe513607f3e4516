import "server-only";
import {
  formatArtifactId,
  parseArtifactId,
  type ArtifactComponent,
  type ArtifactDest,
  type Delivery,
  type ResolvedArtifact,
  type UploadArtifactAction,
} from "@/lib/contracts/artifacts";
import { quote } from "../ssh/quote";
import type { RemoteHost } from "../ssh/types";
import type { CacheOptions } from "./cache";
import { resolveArtifact, type LoadedReleases, type PickOptions } from "./releases";
import { ArtifactError } from "./errors";
import { withStagedArtifact } from "./stage";

// The declarative `upload-artifact` action (lib/contracts/artifacts.ts) and its executor.
//   plan(facts):  planArtifactAction("runc", version, facts.arch, { kind: "file", path: "/usr/local/sbin/runc", mode: "755" })
//   runner:       applyArtifactAction(host, action, { delivery, signal, onLine, onProgress })
// Order: resolve the id -> refuse a stale plan (release list sum changed) -> stage -> sha256 on the host
// -> install as root -> remove the staged copy. A mismatch throws before the install command runs.

export interface ApplyArtifactOptions {
  delivery: Delivery;
  signal?: AbortSignal;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  onLine?: (line: string) => void;
  cache?: CacheOptions;
  releases?: LoadedReleases;
  commandTimeoutMs?: number;
  downloadTimeoutMs?: number;
}

export interface AppliedArtifact {
  artifact: ResolvedArtifact;
  sha256: string;
  /** The install command as run (for the audit log and the run's events). */
  command: string;
}

/** For a step's pure `plan(facts)`: pick the file for the host's arch and describe where it goes. */
export function planArtifactAction(
  component: ArtifactComponent,
  version: string | null | undefined,
  arch: string | null,
  dest: ArtifactDest,
  opts: PickOptions = {},
): UploadArtifactAction {
  return actionFor(resolveArtifact(component, version, arch, opts), dest);
}

/** The action that installs this very artifact (a build picked for a host by pickArtifact). */
export function actionFor(a: ResolvedArtifact, dest: ArtifactDest): UploadArtifactAction {
  return { kind: "upload-artifact", artifactId: formatArtifactId(a), sha256: a.sha256, dest };
}

/**
 * Adapter for server/catalog's current `upload-artifact` Action ({artifactId, sha256, path, mode}):
 * a single file installed with its mode. Tarballs need `{ kind: "extract", dir }` as dest instead.
 */
export function fromCatalogAction(a: { artifactId: string; sha256: string | null; path: string; mode: number }): UploadArtifactAction {
  return { kind: "upload-artifact", artifactId: a.artifactId, sha256: a.sha256, dest: { kind: "file", path: a.path, mode: a.mode.toString(8).padStart(3, "0") } };
}

/** The artifact an action names, from the release list as it is now. */
export function resolveAction(action: Pick<UploadArtifactAction, "artifactId">, cat?: LoadedReleases): ResolvedArtifact {
  const id = parseArtifactId(action.artifactId);
  return resolveArtifact(id.component, id.version, id.arch, { source: id.source, variant: id.variant, build: id.build, releases: cat });
}

/** Directories every Linux host has (FHS): installing into them needs no `mkdir -p` / `install -D`. */
export const STANDARD_DIRS = new Set(["/usr/local", "/usr/local/bin", "/usr/local/sbin"]);

/**
 * The root command that installs a verified file, in the words of containerd's getting-started guide
 * (https://github.com/containerd/containerd/blob/main/docs/getting-started.md): `tar Cxzvf DIR FILE`,
 * `install -m 755 FILE DEST`. One command (no `sh -c`, no `&&`); the plan shows the same words.
 */
export function installCommand(dest: ArtifactDest, remotePath: string): string {
  if (dest.kind === "extract") return `tar Cxzvf ${quote(dest.dir)} ${quote(remotePath)}`;
  const dir = dest.path.slice(0, dest.path.lastIndexOf("/")) || "/";
  return `install ${STANDARD_DIRS.has(dir) ? "" : "-D "}-m ${quote(dest.mode)} ${quote(remotePath)} ${quote(dest.path)}`;
}

/** One line for the plan's diff ("what would change"). */
export function describeAction(action: UploadArtifactAction, cat?: LoadedReleases): string {
  const a = resolveAction(action, cat);
  const sum = action.sha256 ? `sha256 ${action.sha256}` : "sha256 from the project's checksum file";
  const where = action.dest.kind === "extract" ? `extract into ${action.dest.dir}` : `install as ${action.dest.path} (mode ${action.dest.mode})`;
  return `${a.file} (${a.component} ${a.version}${a.source === "local" ? `, local build${a.build ? ` ${a.build}` : ""}` : ""}; ${sum}): verify on the host, then ${where}`;
}

export async function applyArtifactAction(host: RemoteHost, action: UploadArtifactAction, opts: ApplyArtifactOptions): Promise<AppliedArtifact> {
  const artifact = resolveAction(action, opts.releases);
  if (action.sha256 !== artifact.sha256) {
    throw new ArtifactError(
      "checksum-mismatch",
      `the plan expected ${artifact.file} with sha256 ${action.sha256 ?? "(from the checksum file)"}, but the catalogue now says ${artifact.sha256 ?? "(from the checksum file)"}: plan again`,
      { artifactId: action.artifactId },
    );
  }
  const timeoutMs = opts.commandTimeoutMs ?? 120_000;
  return withStagedArtifact(host, artifact, opts, async (staged) => {
    if (action.dest.kind === "extract") {
      const mkdir = `mkdir -p ${quote(action.dest.dir)}`;
      if (!STANDARD_DIRS.has(action.dest.dir)) opts.onLine?.(mkdir);
      const mk = await host.exec(mkdir, { asRoot: true, signal: opts.signal, timeoutMs });
      if (mk.code !== 0) throw new ArtifactError("host-command-failed", `mkdir -p ${action.dest.dir} failed on ${host.target.name}: ${mk.stderr.trim()}`, {});
    }
    const command = installCommand(action.dest, staged.remotePath);
    // The command as it runs, then its own output (tar's v lists what it extracted), as in a terminal.
    opts.onLine?.(command);
    const r = await host.exec(command, { asRoot: true, signal: opts.signal, timeoutMs, onStdout: opts.onLine, onStderr: opts.onLine });
    if (r.code !== 0) {
      throw new ArtifactError(
        "host-command-failed",
        `installing ${artifact.file} on ${host.target.name} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split("\n").slice(-5).join("\n") || "no output"}`,
        { command, code: r.code },
      );
    }
    return { artifact, sha256: staged.sha256, command };
  });
}
