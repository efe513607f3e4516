import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { BuildLabel, type ArtifactComponent, type LibcPolicy, type Release, type ReleaseFile, type ResolvedArtifact } from "@/lib/contracts/artifacts";

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

export const splitDirs = (value: string | null | undefined) => (value ? [...new Set(value.split(path.delimiter).filter(Boolean).map((d) => path.resolve(d)))] : []);

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
export function mergeLocal(releases: Release[]): Release[] {
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
