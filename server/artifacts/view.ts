import "server-only";
import { formatArtifactId, type ReleasesView, type ReleaseView } from "@/lib/contracts/artifacts";
import { findCached, type CacheOptions } from "./cache";
import { currentReleases, compareVersions, defaultRelease, type LoadedReleases } from "./releases";

/** The release list as the artifacts panel shows it: every release, which file is cached, which is the default. */
export function releasesView(opts: CacheOptions & { releases?: LoadedReleases } = {}): ReleasesView {
  const cat = opts.releases ?? currentReleases();
  const defaults = new Set(
    (["containerd", "runc", "cni-plugins", "containerd-service"] as const).flatMap((c) => {
      try {
        const r = defaultRelease(c, { releases: cat });
        return [`${r.component} ${r.version} ${r.source} ${r.variant}`];
      } catch {
        return [];
      }
    }),
  );
  const order = ["containerd", "runc", "cni-plugins", "containerd-service"];
  const releases: ReleaseView[] = [...cat.releases]
    .sort(
      (a, b) =>
        order.indexOf(a.component) - order.indexOf(b.component) ||
        (a.source === b.source ? 0 : a.source === "local" ? -1 : 1) ||
        compareVersions(b.version, a.version) ||
        a.variant.localeCompare(b.variant),
    )
    .map((r) => ({
      component: r.component,
      version: r.version,
      source: r.source,
      variant: r.variant,
      isDefault: defaults.has(`${r.component} ${r.version} ${r.source} ${r.variant}`),
      glibcMin: r.libc.glibcMin,
      musl: r.libc.musl,
      files: Object.entries(r.files).map(([arch, f]) => {
        const resolved = { component: r.component, version: r.version, source: r.source, variant: r.variant, arch: arch as "amd64" | "arm64" | "any" };
        return {
          artifactId: formatArtifactId(resolved),
          arch: resolved.arch,
          file: f!.file,
          url: f!.url,
          sha256: f!.sha256,
          cached: findCached({ ...resolved, file: f!.file, url: f!.url, sha256: f!.sha256, sumsUrl: f!.sumsUrl, libc: r.libc }, { ...opts, localDir: cat.localDir }) !== null,
        };
      }),
    }));
  return { releases, localReleasesDir: cat.localDir };
}
