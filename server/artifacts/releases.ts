import "server-only";
import path from "node:path";
import { ReleaseList, type ArtifactComponent, type Release, type ReleaseSource, type ReleaseVariant, type ResolvedArtifact } from "@/lib/contracts/artifacts";
import { ArtifactError } from "./errors";
import { localReleases, localReleasesDir, mergeLocal, splitDirs } from "./local-releases";
import { upstreamReleases } from "./upstream-releases";

// The release list (upstream releases and the local directories of local-releases.ts), and finding a
// release and its file for an architecture in it. Which build fits a host: host-fit.ts.

export interface LoadedReleases {
  releases: Release[];
  /** The registered local directories, ":"-separated (null: none). */
  localDir: string | null;
}

/** Build and validate the release list (zod): a malformed table or releases.json fails loudly here. */
export function buildReleases(opts: { localDir?: string | null; upstream?: Release[] } = {}): LoadedReleases {
  const localDir = opts.localDir === undefined ? localReleasesDir() : opts.localDir;
  const dirs = splitDirs(localDir);
  const releases = [...(opts.upstream ?? upstreamReleases()), ...mergeLocal(dirs.flatMap(localReleases))];
  const parsed = ReleaseList.safeParse(releases);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`release catalogue is invalid at ${issue.path.join(".")}: ${issue.message}`);
  }
  return { releases: parsed.data, localDir: dirs.length ? dirs.join(path.delimiter) : null };
}

let cached: { key: string; releases: LoadedReleases } | undefined;

/** The process's release list (rebuilt when NODEPREP_LOCAL_RELEASES changes, e.g. between tests). */
export function currentReleases(): LoadedReleases {
  const key = localReleasesDir() ?? "";
  if (!cached || cached.key !== key) cached = { key, releases: buildReleases({ localDir: key || null }) };
  return cached.releases;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface PickOptions {
  source?: ReleaseSource;
  variant?: ReleaseVariant;
  /** A local build ("debian12"); undefined = any (the first registered wins). */
  build?: string | null;
  releases?: LoadedReleases;
}

/**
 * Which source a pick uses when the caller names none: a registered local directory wins (it exists
 * because the hosts cannot reach GitHub: practice nodes), else upstream.
 */
export function candidates(component: ArtifactComponent, opts: PickOptions): Release[] {
  const cat = opts.releases ?? currentReleases();
  const variant = opts.variant ?? "default";
  const of = (source: ReleaseSource) =>
    cat.releases.filter((r) => r.component === component && r.variant === variant && r.source === source && (opts.build == null || r.build === opts.build));
  if (opts.source) return of(opts.source);
  const local = of("local");
  return local.length > 0 ? local : of("upstream");
}

/** The default version: the newest in the release list (of the preferred source). */
export function defaultRelease(component: ArtifactComponent, opts: PickOptions = {}): Release {
  const list = candidates(component, opts);
  if (list.length === 0) {
    throw new ArtifactError("unknown-release", `the release catalogue has no ${component}${opts.variant === "static" ? " (static)" : ""} release`, { component });
  }
  return [...list].sort((a, b) => compareVersions(b.version, a.version))[0];
}

/** Every release of that component and version (local ones first), of the source and build asked for. */
export function releasesOf(component: ArtifactComponent, version: string, opts: PickOptions): Release[] {
  const cat = opts.releases ?? currentReleases();
  const variant = opts.variant ?? "default";
  const matching = cat.releases.filter(
    (r) =>
      r.component === component &&
      r.version === version &&
      r.variant === variant &&
      (!opts.source || r.source === opts.source) &&
      (opts.build == null || r.build === opts.build),
  );
  // Same version from both sources (the lab's Debian build of 1.6.20 is not upstream's 1.6.20):
  // prefer local, for the same reason as candidates().
  return [...matching.filter((r) => r.source === "local"), ...matching.filter((r) => r.source !== "local")];
}

export function findRelease(component: ArtifactComponent, version: string | null | undefined, opts: PickOptions = {}): Release {
  if (!version) return defaultRelease(component, opts);
  const found = releasesOf(component, version, opts)[0];
  if (!found) {
    const cat = opts.releases ?? currentReleases();
    const variant = opts.variant ?? "default";
    const known = [
      ...new Set(
        cat.releases.filter((r) => r.component === component && r.variant === variant).map((r) => (r.source === "local" ? `${r.version} (local)` : r.version)),
      ),
    ];
    throw new ArtifactError(
      "unknown-release",
      `${component}${variant === "static" ? " (static)" : ""} ${version}${opts.source ? ` from ${opts.source}` : ""}${opts.build ? ` (${opts.build} build)` : ""} is not in the release catalogue; known: ${known.join(", ") || "none"}`,
      { component, version, known },
    );
  }
  return found;
}

/** The file of one release for an architecture, or null when the release has none for it. */
export function fileFor(release: Release, arch: string | null): ResolvedArtifact | null {
  const fileArch = release.files.any ? "any" : arch;
  const file = fileArch === "amd64" || fileArch === "arm64" || fileArch === "any" ? release.files[fileArch] : undefined;
  if (!file) return null;
  return {
    component: release.component,
    version: release.version,
    source: release.source,
    variant: release.variant,
    build: release.build,
    arch: fileArch as ResolvedArtifact["arch"],
    file: file.file,
    url: file.url,
    sha256: file.sha256,
    sumsUrl: file.sumsUrl,
    libc: file.libc ?? release.libc,
  };
}

export function unsupportedArch(release: Release, arch: string | null): ArtifactError {
  const published = Object.keys(release.files).join(", ");
  return new ArtifactError(
    "unsupported-arch",
    `${release.component} ${release.version}${release.source === "local" ? " (local)" : ""} is not available for ${arch ?? "this host's architecture (not amd64 or arm64)"}; ` +
      `the catalogue has it for: ${published}`,
    { component: release.component, version: release.version, arch, published },
  );
}

/**
 * Pick the file of a release for a host's architecture (`facts.arch`, null when `uname -m` is not one
 * the projects publish for). `version` null = the default (newest) version.
 */
export function resolveArtifact(
  component: ArtifactComponent,
  version: string | null | undefined,
  arch: string | null,
  opts: PickOptions = {},
): ResolvedArtifact {
  const release = findRelease(component, version, opts);
  const resolved = fileFor(release, arch);
  if (!resolved) throw unsupportedArch(release, arch);
  return resolved;
}

