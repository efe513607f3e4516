import { z } from "zod";
import { httpUrl } from "../validation";

// The release list (containerd, runc, CNI plugins), the artifact cache as the browser sees it,
// and the declarative `upload-artifact` action that steps put in their plans.

/** Architectures the upstream projects publish for and the release list carries. */
export const ArtifactArch = z.enum(["amd64", "arm64"]);
export type ArtifactArch = z.infer<typeof ArtifactArch>;

export const ArtifactComponent = z.enum(["containerd", "runc", "cni-plugins", "containerd-service"]);
export type ArtifactComponent = z.infer<typeof ArtifactComponent>;

/** upstream = the project's GitHub release; local = files registered from a directory (the lab's Debian builds). */
export const ReleaseSource = z.enum(["upstream", "local"]);
export type ReleaseSource = z.infer<typeof ReleaseSource>;

/** containerd publishes a glibc-linked tarball and, since 1.7, a static one for musl and old glibc. */
export const ReleaseVariant = z.enum(["default", "static"]);
export type ReleaseVariant = z.infer<typeof ReleaseVariant>;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a sha256 is 64 lowercase hex digits");
export const Version = z.string().regex(/^\d+\.\d+\.\d+$/, "a version is MAJOR.MINOR.PATCH without a leading v");
/** A plain file name: no directory, nothing the shell or a path join could misread. */
export const ArtifactFileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "a file name without directories");

/** A local build's label: the Debian release its packages come from ("debian12"). */
export const BuildLabel = z.string().regex(/^[a-z][a-z0-9]{0,31}$/, "a build label is lowercase letters and digits");

/** Which C libraries a build runs on: the containerd step refuses a host that does not qualify. */
export const LibcPolicy = z.object({
  /** null = statically linked, any glibc will do. */
  glibcMin: z.string().regex(/^\d+\.\d+$/).nullable(),
  musl: z.boolean(),
  /** Where the policy comes from (release notes, an issue): shown to the operator with a refusal. */
  reference: z.string().nullable().default(null),
});
export type LibcPolicy = z.infer<typeof LibcPolicy>;

export const ReleaseFile = z
  .object({
    file: ArtifactFileName,
    /** Where the host (or the dashboard) downloads it; null for local-only files. */
    url: httpUrl.nullable(),
    /** The published sum. null = take it from `sumsUrl`, fetched by the host, at install time. */
    sha256: Sha256.nullable(),
    /** The project's checksum file for this artifact (`<file>.sha256sum`, `runc.sha256sum`, ...). */
    sumsUrl: httpUrl.nullable().default(null),
    /** This file's own C library need, when it differs from the release's (one build per arch, read from its ELF). */
    libc: LibcPolicy.optional(),
  })
  .refine((f) => f.sha256 !== null || f.sumsUrl !== null, {
    message: "a file needs a sha256 or a sumsUrl to verify it against",
    path: ["sha256"],
  });
export type ReleaseFile = z.infer<typeof ReleaseFile>;

export const Release = z.object({
  component: ArtifactComponent,
  version: Version,
  source: ReleaseSource,
  variant: ReleaseVariant.default("default"),
  /**
   * Local releases: which build (the lab builds one per Debian release, and two releases can carry the
   * same upstream version, e.g. CNI plugins 1.1.1 in Debian 12 and 13, needing different glibcs).
   */
  build: BuildLabel.nullable().optional(),
  /** Per architecture; a missing arch means "not published for it". Service units use `any`. */
  files: z.partialRecord(z.enum(["amd64", "arm64", "any"]), ReleaseFile),
  libc: LibcPolicy,
});
export type Release = z.infer<typeof Release>;

const releaseKey = (r: Pick<Release, "component" | "version" | "source" | "variant" | "build">) =>
  `${r.component} ${r.version} ${r.source} ${r.variant}${r.build ? ` ${r.build}` : ""}`;

export const ReleaseList = z.array(Release).superRefine((releases, ctx) => {
  const seen = new Set<string>();
  releases.forEach((r, i) => {
    const key = releaseKey(r);
    if (seen.has(key)) ctx.addIssue({ code: "custom", message: `duplicate release ${key}`, path: [i] });
    seen.add(key);
    if (Object.keys(r.files).length === 0) ctx.addIssue({ code: "custom", message: `release ${key} has no files`, path: [i, "files"] });
  });
});
export type ReleaseList = z.infer<typeof ReleaseList>;

/** How a file gets onto a host; all three end in the same sha256 check on the host. */
export const Delivery = z.discriminatedUnion("kind", [
  /** The host downloads from the upstream URL with curl or wget. */
  z.object({ kind: z.literal("upstream") }).strict(),
  /** The dashboard uploads from its own cache over SFTP (hosts without internet). */
  z.object({ kind: z.literal("cache") }).strict(),
  /** The host downloads from a mirror: `{file}` in the URL is replaced, else the file name is appended. */
  z.object({ kind: z.literal("mirror"), url: httpUrl.max(2048, "at most 2048 characters") }).strict(),
]);
export type Delivery = z.infer<typeof Delivery>;

/** A release picked for one arch: everything staging needs. */
export const ResolvedArtifact = z.object({
  component: ArtifactComponent,
  version: Version,
  source: ReleaseSource,
  variant: ReleaseVariant,
  build: BuildLabel.nullable().optional(),
  arch: z.enum(["amd64", "arm64", "any"]),
  file: ArtifactFileName,
  url: z.url().nullable(),
  sha256: Sha256.nullable(),
  sumsUrl: z.url().nullable(),
  libc: LibcPolicy,
});
export type ResolvedArtifact = z.infer<typeof ResolvedArtifact>;

/**
 * A release file for one arch, as one string: `<component>@<version>[~local[-<build>]|~static]:<arch>`,
 * e.g. `containerd@2.2.1:amd64`, `containerd@2.2.1~static:arm64`, `runc@1.1.5~local-debian12:amd64`,
 * `containerd-service@1.6.20~local-debian12:any`. Plans carry it; the executor resolves it again.
 */
export const ArtifactId = z
  .string()
  .regex(
    /^(containerd|runc|cni-plugins|containerd-service)@(\d+\.\d+\.\d+)(~local(-[a-z][a-z0-9]{0,31})?|~static)?:(amd64|arm64|any)$/,
    "an artifact id is <component>@<version>[~local[-<build>]|~static]:<arch>",
  );

export function formatArtifactId(a: Pick<ResolvedArtifact, "component" | "version" | "source" | "variant" | "arch"> & { build?: string | null }): string {
  const tag = a.source === "local" ? `~local${a.build ? `-${a.build}` : ""}` : a.variant === "static" ? "~static" : "";
  return `${a.component}@${a.version}${tag}:${a.arch}`;
}

export function parseArtifactId(id: string): {
  component: ArtifactComponent;
  version: string;
  source: ReleaseSource;
  variant: ReleaseVariant;
  /** null: an id without a build label (any local build of that version; the first registered). */
  build: string | null;
  arch: "amd64" | "arm64" | "any";
} {
  const m = ArtifactId.parse(id).match(/^([a-z-]+)@([\d.]+)(~local(?:-([a-z0-9]+))?|~static)?:([a-z0-9]+)$/)!;
  return {
    component: m[1] as ArtifactComponent,
    version: m[2],
    source: m[3]?.startsWith("~local") ? "local" : "upstream",
    variant: m[3] === "~static" ? "static" : "default",
    build: m[4] ?? null,
    arch: m[5] as "amd64" | "arm64" | "any",
  };
}

export const ArtifactDest = z.discriminatedUnion("kind", [
  /** `tar -C dir -xzf file` as root (containerd into /usr/local, CNI plugins into /opt/cni/bin). */
  z.object({ kind: z.literal("extract"), dir: z.string().regex(/^\/[^\0]*$/) }),
  /** `install -D -m mode file path` as root (runc into /usr/local/sbin/runc, the service unit). */
  z.object({ kind: z.literal("file"), path: z.string().regex(/^\/[^\0]*[^/]$/), mode: z.string().regex(/^0?[0-7]{3}$/) }),
]);
export type ArtifactDest = z.infer<typeof ArtifactDest>;

/**
 * The declarative action a step's plan returns to put a release file on a host (build it with
 * `planArtifactAction` in server/artifacts). The runner executes it with `applyArtifactAction`:
 * resolve the id again, refuse if the release list's sum is no longer the planned one, stage, verify the
 * sha256 ON THE HOST, then install; a mismatch installs nothing.
 */
export const UploadArtifactAction = z.object({
  kind: z.literal("upload-artifact"),
  artifactId: ArtifactId,
  /** The sum the plan showed; null = verified against the project's checksum file at install time. */
  sha256: Sha256.nullable(),
  dest: ArtifactDest,
});
export type UploadArtifactAction = z.infer<typeof UploadArtifactAction>;

// ---- API ----

export const ArtifactFileView = z.object({
  artifactId: z.string(),
  arch: z.enum(["amd64", "arm64", "any"]),
  file: z.string(),
  url: z.string().nullable(),
  sha256: z.string().nullable(),
  cached: z.boolean(),
});

export const ReleaseView = z.object({
  component: ArtifactComponent,
  version: Version,
  source: ReleaseSource,
  variant: ReleaseVariant,
  isDefault: z.boolean(),
  /** Local builds: which one ("debian11"), null for upstream. */
  build: z.string().nullable().optional(),
  glibcMin: z.string().nullable(),
  musl: z.boolean(),
  files: z.array(ArtifactFileView),
});
export type ReleaseView = z.infer<typeof ReleaseView>;

export const ReleasesView = z.object({
  releases: z.array(ReleaseView),
  /** The local release directory in use (practice nodes), or null. */
  localReleasesDir: z.string().nullable(),
});
export type ReleasesView = z.infer<typeof ReleasesView>;

export const CachedArtifact = z.object({ file: z.string(), sha256: Sha256, size: z.number().int() });
export type CachedArtifact = z.infer<typeof CachedArtifact>;

/** `POST /api/artifacts/uploads`: announce an operator upload into the cache. */
export const UploadBeginBody = z.object({ artifactId: ArtifactId, size: z.number().int().positive() }).strict();
export const UploadBegun = z.object({ uploadId: z.string(), chunkBytes: z.number().int().positive(), file: z.string() });
export type UploadBegun = z.infer<typeof UploadBegun>;
/** `PUT /api/artifacts/uploads/:id?offset=N` with the chunk as the body answers this. */
export const UploadProgress = z.object({ received: z.number().int() });
export const UploadIdParams = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/) });
export const UploadChunkQuery = z.object({ offset: z.coerce.number().int().min(0) }).strict();

/** `POST /api/artifacts/fetch`: the dashboard downloads a release file into its cache. */
export const FetchBody = z.object({ artifactId: ArtifactId }).strict();
