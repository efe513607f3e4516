import "server-only";
import { formatArtifactId, type ReleasesView, type ReleaseView } from "@/lib/contracts/artifacts";
import { findCached, type CacheOptions } from "./cache";
import { currentReleases, compareVersions, defaultRelease, type LoadedReleases } from "./releases";

const newestGlibc = (mins: (string | null)[]) =>
  mins.reduce<string | null>((best, m) => (m && (!best || compareVersions(m, best) > 0) ? m : best), null);

/** The catalogue as the artifacts panel shows it: every release, which file is cached, which is the default. */
export function releasesView(opts: CacheOptions & { releases?: LoadedReleases } = {}): ReleasesView {
  const cat = opts.releases ?? currentReleases();
  const defaults = new Set(
    (["containerd", "runc", "cni-plugins", "containerd-service"] as const).flatMap((c) => {
      try {
        const r = defaultRelease(c, { releases: cat });
        return [`${r.component} ${r.version} ${r.source} ${r.variant} ${r.build ?? ""}`];
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
        a.variant.localeCompare(b.variant) ||
        (b.build ?? "").localeCompare(a.build ?? ""),
    )
    .map((r) => ({
      component: r.component,
      version: r.version,
      source: r.source,
      variant: r.variant,
      isDefault: defaults.has(`${r.component} ${r.version} ${r.source} ${r.variant} ${r.build ?? ""}`),
      build: r.build ?? null,
      // Per-arch builds can differ (read from each file's ELF): the view shows the newest need.
      glibcMin: newestGlibc(Object.values(r.files).map((f) => (f!.libc ?? r.libc).glibcMin)),
      musl: r.libc.musl,
      files: Object.entries(r.files).map(([arch, f]) => {
        const resolved = { component: r.component, version: r.version, source: r.source, variant: r.variant, build: r.build, arch: arch as "amd64" | "arm64" | "any" };
        return {
          artifactId: formatArtifactId(resolved),
          arch: resolved.arch,
          file: f!.file,
          url: f!.url,
          sha256: f!.sha256,
          cached: findCached({ ...resolved, file: f!.file, url: f!.url, sha256: f!.sha256, sumsUrl: f!.sumsUrl, libc: f!.libc ?? r.libc }, { ...opts, localDir: cat.localDir }) !== null,
        };
      }),
    }));
  return { releases, localReleasesDir: cat.localDir };
}
