import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  ReleaseList,
  type ArtifactComponent,
  type LibcPolicy,
  type Release,
  type ReleaseSource,
  type ReleaseVariant,
  type ResolvedArtifact,
} from "@/lib/contracts/artifacts";
import { ArtifactError } from "./errors";
import { upstreamReleases } from "./upstream-releases";

// The release list = upstream releases + (optionally) a local release directory registered from its
// releases.json. The lab builds such a directory from Debian's packages; the demo and the tests point
// NODEPREP_LOCAL_RELEASES at it, and everything after this file (resolve, cache, stage, verify) is
// the same code path as production.

const Env = z.object({
  /** A directory with releases.json (lab/artifacts/build.ts layout) and the files it names. */
  NODEPREP_LOCAL_RELEASES: z.string().min(1).optional(),
});

export function localReleasesDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment: NODEPREP_LOCAL_RELEASES: ${parsed.error.issues[0].message}`);
  return parsed.data.NODEPREP_LOCAL_RELEASES ? path.resolve(parsed.data.NODEPREP_LOCAL_RELEASES) : null;
}

const LocalEntry = z.object({ version: z.string(), file: z.string(), sha256: z.string(), glibcMin: z.string().optional() });
/** lab/artifacts/build.ts writes this shape. */
export const LocalReleasesJson = z.object({
  containerd: LocalEntry,
  runc: LocalEntry,
  cni: LocalEntry,
  service: z.object({ file: z.string(), sha256: z.string() }).optional(),
  /** The glibc the binaries were built against; Debian 12's when absent. */
  glibcMin: z.string().optional(),
});

const archOf = (file: string): "amd64" | "arm64" => {
  const m = /(amd64|arm64)/.exec(file);
  if (!m) throw new Error(`cannot tell the architecture of local release file ${file} (expected amd64 or arm64 in its name)`);
  return m[1] as "amd64" | "arm64";
};

/** Releases from a local directory's releases.json, with its real sums. */
export function localReleases(dir: string): Release[] {
  const file = path.join(dir, "releases.json");
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`NODEPREP_LOCAL_RELEASES: cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = LocalReleasesJson.safeParse(raw);
  if (!parsed.success) throw new Error(`NODEPREP_LOCAL_RELEASES: ${file}: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`);
  const j = parsed.data;
  // Debian's builds link glibc (and runc libseccomp) dynamically: they need the glibc they were built with.
  const libc: LibcPolicy = {
    glibcMin: j.glibcMin ?? "2.36",
    musl: false,
    reference: `built from Debian packages (${dir}), dynamically linked with glibc ${j.glibcMin ?? "2.36"}`,
  };
  const entry = (component: ArtifactComponent, e: z.infer<typeof LocalEntry>): Release => ({
    component,
    version: e.version,
    source: "local",
    variant: "default",
    files: { [archOf(e.file)]: { file: e.file, url: null, sha256: e.sha256, sumsUrl: null } },
    libc: e.glibcMin ? { ...libc, glibcMin: e.glibcMin } : libc,
  });
  const releases = [entry("containerd", j.containerd), entry("runc", j.runc), entry("cni-plugins", j.cni)];
  if (j.service) {
    // The unit file ships with a containerd version; it is arch-independent.
    releases.push({
      component: "containerd-service",
      version: j.containerd.version,
      source: "local",
      variant: "default",
      files: { any: { file: j.service.file, url: null, sha256: j.service.sha256, sumsUrl: null } },
      libc: { glibcMin: null, musl: true, reference: "a systemd unit file" },
    });
  }
  return releases;
}

export interface LoadedReleases {
  releases: Release[];
  localDir: string | null;
}

/** Build and validate the release list (zod): a malformed table or releases.json fails loudly here. */
export function buildReleases(opts: { localDir?: string | null; upstream?: Release[] } = {}): LoadedReleases {
  const localDir = opts.localDir === undefined ? localReleasesDir() : opts.localDir;
  const releases = [...(opts.upstream ?? upstreamReleases()), ...(localDir ? localReleases(localDir) : [])];
  const parsed = ReleaseList.safeParse(releases);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`release catalogue is invalid at ${issue.path.join(".")}: ${issue.message}`);
  }
  return { releases: parsed.data, localDir };
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
  releases?: LoadedReleases;
}

/**
 * Which source a pick uses when the caller names none: a registered local directory wins (it exists
 * because the hosts cannot reach GitHub: practice nodes), else upstream.
 */
function candidates(component: ArtifactComponent, opts: PickOptions): Release[] {
  const cat = opts.releases ?? currentReleases();
  const variant = opts.variant ?? "default";
  const of = (source: ReleaseSource) => cat.releases.filter((r) => r.component === component && r.variant === variant && r.source === source);
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

export function findRelease(component: ArtifactComponent, version: string | null | undefined, opts: PickOptions = {}): Release {
  if (!version) return defaultRelease(component, opts);
  const cat = opts.releases ?? currentReleases();
  const variant = opts.variant ?? "default";
  const matching = cat.releases.filter(
    (r) => r.component === component && r.version === version && r.variant === variant && (!opts.source || r.source === opts.source),
  );
  // Same version from both sources (the lab's Debian build of 1.6.20 is not upstream's 1.6.20):
  // prefer local, for the same reason as candidates().
  const found = matching.find((r) => r.source === "local") ?? matching[0];
  if (!found) {
    const known = cat.releases
      .filter((r) => r.component === component && r.variant === variant)
      .map((r) => (r.source === "local" ? `${r.version} (local)` : r.version));
    throw new ArtifactError(
      "unknown-release",
      `${component}${variant === "static" ? " (static)" : ""} ${version}${opts.source ? ` from ${opts.source}` : ""} is not in the release catalogue; known: ${known.join(", ") || "none"}`,
      { component, version, known },
    );
  }
  return found;
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
  const fileArch = release.files.any ? "any" : arch;
  const file = fileArch === "amd64" || fileArch === "arm64" || fileArch === "any" ? release.files[fileArch] : undefined;
  if (!file) {
    const published = Object.keys(release.files).join(", ");
    throw new ArtifactError(
      "unsupported-arch",
      `${component} ${release.version}${release.source === "local" ? " (local)" : ""} is not available for ${arch ?? "this host's architecture (not amd64 or arm64)"}; ` +
        `the catalogue has it for: ${published}`,
      { component, version: release.version, arch, published },
    );
  }
  return {
    component,
    version: release.version,
    source: release.source,
    variant: release.variant,
    arch: fileArch as ResolvedArtifact["arch"],
    file: file.file,
    url: file.url,
    sha256: file.sha256,
    sumsUrl: file.sumsUrl,
    libc: release.libc,
  };
}

export interface LibcVerdict {
  ok: boolean;
  /** Why not, in words for the operator (empty when ok). */
  reason: string;
  /** A release of the same component and version that would run (containerd's static build), if any. */
  alternative: ResolvedArtifact | null;
}

/**
 * The containerd step's policy check: does this build run on the host's C library? `libc` is
 * `facts.libc` ({kind: glibc|musl|unknown, version}). An unknown libc or glibc version is refused
 * for a dynamically linked build: installing it anyway fails at `containerd --version`, after /usr/local changed.
 */
export function checkLibc(
  artifact: ResolvedArtifact,
  libc: { kind: "glibc" | "musl" | "unknown"; version: string | null },
  opts: PickOptions = {},
): LibcVerdict {
  const policy = artifact.libc;
  let reason = "";
  if (libc.kind === "musl" && !policy.musl) {
    reason = `${artifact.file} is dynamically linked against glibc and does not run on musl (Alpine)`;
  } else if (libc.kind === "unknown" && policy.glibcMin) {
    reason = `${artifact.file} needs glibc ${policy.glibcMin} or newer, and the host's C library could not be identified`;
  } else if (libc.kind === "glibc" && policy.glibcMin) {
    if (!libc.version) reason = `${artifact.file} needs glibc ${policy.glibcMin} or newer, and the host's glibc version is unknown`;
    else if (compareVersions(libc.version, policy.glibcMin) < 0) {
      reason = `${artifact.file} needs glibc ${policy.glibcMin} or newer; the host has glibc ${libc.version}`;
    }
  }
  if (!reason) return { ok: true, reason: "", alternative: null };
  let alternative: ResolvedArtifact | null = null;
  if (artifact.variant !== "static") {
    try {
      alternative = resolveArtifact(artifact.component, artifact.version, artifact.arch, { ...opts, variant: "static", source: opts.source });
    } catch {
      alternative = null;
    }
  }
  const hint = alternative
    ? ` Use the statically linked build instead: ${alternative.file}.`
    : artifact.component === "containerd"
      ? " Pick a containerd version that has a static build (containerd-static, 1.7 and later), or install containerd from the distribution's packages."
      : "";
  return { ok: false, reason: `${reason}${policy.reference ? ` (${policy.reference})` : ""}.${hint}`, alternative };
}
