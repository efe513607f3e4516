import "server-only";
import type { ArtifactComponent, ResolvedArtifact } from "@/lib/contracts/artifacts";
import { candidates, compareVersions, fileFor, findRelease, releasesOf, resolveArtifact, unsupportedArch, type PickOptions } from "./releases";

// Which build of a release runs on a host: its arch, its C library, its own OS release.

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
 * The artifact for this host: of the releases of `version` (null: every version), the ones
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
