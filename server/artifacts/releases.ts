import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  BuildLabel,
  ReleaseList,
  type ArtifactComponent,
  type LibcPolicy,
  type Release,
  type ReleaseFile,
  type ReleaseSource,
  type ReleaseVariant,
  type ResolvedArtifact,
} from "@/lib/contracts/artifacts";
import { ArtifactError } from "./errors";
import { upstreamReleases } from "./upstream-releases";

// The catalogue = upstream releases + (optionally) local release directories registered from their
// releases.json. The lab builds one such directory per Debian release and architecture from Debian's
// packages; the demo and the tests point NODEPREP_LOCAL_RELEASES at them (several directories are
// separated by ":"), and everything after this file (resolve, cache, stage, verify) is the same code
// path as production.

const Env = z.object({
  /** Directories with releases.json (lab/artifacts/build.ts layout) and the files it names, ":"-separated. */
  NODEPREP_LOCAL_RELEASES: z.string().min(1).optional(),
});

/** The registered local release directories, in the order given (the first wins a tie). */
export function localReleasesDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment: NODEPREP_LOCAL_RELEASES: ${parsed.error.issues[0].message}`);
  return splitDirs(parsed.data.NODEPREP_LOCAL_RELEASES);
}

const splitDirs = (value: string | null | undefined) => (value ? [...new Set(value.split(path.delimiter).filter(Boolean).map((d) => path.resolve(d)))] : []);

/** The local release directories as one string (":"-separated), or null when none is registered. */
export function localReleasesDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = localReleasesDirs(env);
  return dirs.length ? dirs.join(path.delimiter) : null;
}

const LocalEntry = z.object({ version: z.string(), file: z.string(), sha256: z.string(), glibcMin: z.string().nullable().optional() });
/** lab/artifacts/build.ts writes this shape. */
export const LocalReleasesJson = z.object({
  /** Which build ("debian12"); absent in directories written before there was more than one. */
  build: BuildLabel.optional(),
  /** "Debian 12 (bookworm)". */
  builtFrom: z.string().optional(),
  containerd: LocalEntry,
  runc: LocalEntry,
  cni: LocalEntry,
  service: z.object({ file: z.string(), sha256: z.string() }).optional(),
  /** The glibc the binaries were built against; Debian 12's when absent (directories built before it was read from the ELF files). */
  glibcMin: z.string().optional(),
});

const archOf = (file: string): "amd64" | "arm64" => {
  const m = /(amd64|arm64)/.exec(file);
  if (!m) throw new Error(`cannot tell the architecture of local release file ${file} (expected amd64 or arm64 in its name)`);
  return m[1] as "amd64" | "arm64";
};

/** Releases from one local directory's releases.json, with its real sums and the glibc its binaries need. */
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
  const build = j.build ?? null;
  const from = j.builtFrom ? `${j.builtFrom} packages` : "Debian packages";
  // Debian's builds link glibc (and runc libseccomp) dynamically: they need the newest glibc symbol
  // version their ELF files ask for (lab/artifacts/elf.ts reads it when the lab builds them).
  const libcOf = (e: z.infer<typeof LocalEntry>): LibcPolicy => {
    const min = e.glibcMin === undefined ? (j.glibcMin ?? "2.36") : e.glibcMin;
    return min
      ? { glibcMin: min, musl: false, reference: `built from ${from}, dynamically linked: its binaries ask for GLIBC_${min}` }
      : { glibcMin: null, musl: true, reference: `built from ${from}, statically linked` };
  };
  const entry = (component: ArtifactComponent, e: z.infer<typeof LocalEntry>): Release => {
    const libc = libcOf(e);
    return {
      component,
      version: e.version,
      source: "local",
      variant: "default",
      build,
      files: { [archOf(e.file)]: { file: e.file, url: null, sha256: e.sha256, sumsUrl: null, libc } },
      libc,
    };
  };
  const releases = [entry("containerd", j.containerd), entry("runc", j.runc), entry("cni-plugins", j.cni)];
  if (j.service) {
    // The unit file ships with a containerd version; it is arch-independent.
    releases.push({
      component: "containerd-service",
      version: j.containerd.version,
      source: "local",
      variant: "default",
      build,
      files: { any: { file: j.service.file, url: null, sha256: j.service.sha256, sumsUrl: null } },
      libc: { glibcMin: null, musl: true, reference: "a systemd unit file" },
    });
  }
  return releases;
}

/** One release per (component, version, build) over several directories: one build's amd64 and arm64 files together. */
function mergeLocal(releases: Release[]): Release[] {
  const byKey = new Map<string, Release>();
  for (const r of releases) {
    const key = `${r.component} ${r.version} ${r.build ?? ""}`;
    const had = byKey.get(key);
    if (!had) byKey.set(key, { ...r, files: { ...r.files } });
    else {
      for (const [arch, f] of Object.entries(r.files) as [keyof Release["files"], ReleaseFile][]) {
        // The unit file is the same file in every arch's directory of one build: keep the first.
        if (!had.files[arch]) had.files[arch] = f;
      }
    }
  }
  return [...byKey.values()];
}

/**
 * Where a local release's file is: in the registered directory whose releases.json lists that file
 * with that sum (two builds' files can share a name: cni-plugins-linux-amd64-v1.1.1.tgz of Debian 12
 * and of Debian 13). `dirs` is one directory or several, ":"-separated.
 */
export function localFilePath(dirs: string, artifact: Pick<ResolvedArtifact, "file" | "sha256">): string | null {
  const list = splitDirs(dirs);
  for (const dir of list) {
    const p = path.join(dir, artifact.file);
    if (!fs.existsSync(p)) continue;
    if (list.length === 1) return p;
    const j = LocalReleasesJson.safeParse(JSON.parse(fs.readFileSync(path.join(dir, "releases.json"), "utf8")));
    const listed = j.success ? [j.data.containerd, j.data.runc, j.data.cni, ...(j.data.service ? [j.data.service] : [])] : [];
    if (listed.some((e) => e.file === artifact.file && e.sha256 === artifact.sha256)) return p;
  }
  return null;
}

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
function candidates(component: ArtifactComponent, opts: PickOptions): Release[] {
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
function releasesOf(component: ArtifactComponent, version: string, opts: PickOptions): Release[] {
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
function fileFor(release: Release, arch: string | null): ResolvedArtifact | null {
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

function unsupportedArch(release: Release, arch: string | null): ArtifactError {
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

/** What the pick and the fit check know about a host: its facts' arch, C library and OS. */
export interface HostFit {
  arch: string | null;
  libc: { kind: "glibc" | "musl" | "unknown"; version: string | null };
  os?: { id: string; versionId: string | null } | null;
}

/** Why this build does not run on that C library, or null when it does. */
function libcMisfit(artifact: ResolvedArtifact, libc: HostFit["libc"]): string | null {
  const policy = artifact.libc;
  if (libc.kind === "musl" && !policy.musl) return `${artifact.file} is dynamically linked against glibc and does not run on musl (Alpine)`;
  if (!policy.glibcMin) return null;
  if (libc.kind === "unknown") return `${artifact.file} needs glibc >= ${policy.glibcMin}, and the host's C library could not be identified`;
  if (libc.kind === "glibc") {
    if (!libc.version) return `${artifact.file} needs glibc >= ${policy.glibcMin}, and the host's glibc version is unknown`;
    if (compareVersions(libc.version, policy.glibcMin) < 0) return `${artifact.file} needs glibc >= ${policy.glibcMin}, the host has ${libc.version}`;
  }
  return null;
}

/** "debian12" for a Debian 12 host: the local build made from that host's own release. */
const ownBuild = (host: HostFit) => (host.os && host.os.versionId ? `${host.os.id}${host.os.versionId.split(".")[0]}` : null);

/**
 * The artifact for this host (issue 17): of the releases of `version` (null: every version), the ones
 * with a file for the host's arch whose C library need the host meets; of those, a local build made
 * from the host's own release (a Debian 12 host gets the Debian 12 build), else the newest version,
 * else the build needing the newest glibc the host has. When nothing fits, the best misfit is
 * returned: checkLibc then refuses it by name.
 */
export function pickArtifact(component: ArtifactComponent, version: string | null | undefined, host: HostFit, opts: PickOptions = {}): ResolvedArtifact {
  const releases = version ? releasesOf(component, version, opts) : candidates(component, opts);
  if (releases.length === 0) findRelease(component, version, opts); // throws, naming the known versions
  const forArch = releases.flatMap((r) => fileFor(r, host.arch) ?? []);
  if (forArch.length === 0) throw unsupportedArch(releases[0], host.arch);
  const own = ownBuild(host);
  const glibcOf = (a: ResolvedArtifact) => a.libc.glibcMin ?? "0";
  const rank = (a: ResolvedArtifact, b: ResolvedArtifact) =>
    Number(libcMisfit(a, host.libc) !== null) - Number(libcMisfit(b, host.libc) !== null) ||
    Number(b.build != null && b.build === own) - Number(a.build != null && a.build === own) ||
    compareVersions(b.version, a.version) ||
    (a.source === b.source ? 0 : a.source === "local" ? -1 : 1) ||
    compareVersions(glibcOf(b), glibcOf(a));
  return [...forArch].sort(rank)[0];
}

export interface LibcVerdict {
  ok: boolean;
  /** Why not, in words for the operator (empty when ok). */
  reason: string;
  /** A build that would run on this host (containerd's static build, or another release's local build), if any. */
  alternative: ResolvedArtifact | null;
}

const describeBuild = (a: ResolvedArtifact) =>
  a.source === "local" ? `local${a.build ? `, ${a.build.replace(/^([a-z]+)(\d+)$/, (_, os: string, v: string) => `${os[0].toUpperCase()}${os.slice(1)} ${v}`)} build` : ""}` : a.variant === "static" ? "static" : "upstream";

/**
 * The containerd step's policy check: does this build run on the host's C library? `libc` is
 * `facts.libc` ({kind: glibc|musl|unknown, version}). An unknown libc or glibc version is refused
 * for a dynamically linked build: installing it anyway fails at `containerd --version`, after /usr/local changed.
 * A refusal names a build that fits: the static variant of the same version, else the newest fitting
 * build of the component (`host.os` makes it prefer the host's own release).
 */
export function checkLibc(
  artifact: ResolvedArtifact,
  libc: HostFit["libc"],
  opts: PickOptions & { os?: HostFit["os"] } = {},
): LibcVerdict {
  const misfit = libcMisfit(artifact, libc);
  if (!misfit) return { ok: true, reason: "", alternative: null };
  const host: HostFit = { arch: artifact.arch === "any" ? null : artifact.arch, libc, os: opts.os };
  const pickOpts = { releases: opts.releases };
  let alternative: ResolvedArtifact | null = null;
  if (artifact.variant !== "static" && artifact.source !== "local") {
    try {
      alternative = resolveArtifact(artifact.component, artifact.version, artifact.arch, { ...pickOpts, variant: "static", source: opts.source });
    } catch {
      alternative = null;
    }
  }
  if (!alternative) {
    try {
      const other = pickArtifact(artifact.component, null, host, { ...pickOpts, source: artifact.source });
      alternative = libcMisfit(other, libc) ? null : other;
    } catch {
      alternative = null;
    }
  }
  const hint = alternative
    ? alternative.variant === "static" && alternative.version === artifact.version
      ? ` Use the statically linked build instead: ${alternative.file}.`
      : ` ${alternative.component} ${alternative.version} (${describeBuild(alternative)}: ${alternative.file}) fits this host: choose version ${alternative.version}.`
    : artifact.component === "containerd"
      ? " Pick a containerd version that has a static build (containerd-static, 1.7 and later), or install containerd from the distribution's packages."
      : "";
  return { ok: false, reason: `${misfit}${artifact.libc.reference ? ` (${artifact.libc.reference})` : ""}.${hint}`, alternative };
}
