import "server-only";
import type { ArtifactComponent } from "@/lib/contracts/artifacts";
import type { RuntimeVersions } from "@/lib/contracts/runs";
import { findRelease, type LoadedReleases } from "./releases";
import { ArtifactError } from "./errors";

/**
 * The first version of a run's request that the release list lacks, with its own
 * words (naming the versions it has); null when every one is known. Checked when the run is asked
 * for, so a typo is a 400 at once rather than a run that starts and fails on every node.
 */
export function unknownVersion(versions: RuntimeVersions | undefined, cat?: LoadedReleases): { component: ArtifactComponent; message: string } | null {
  for (const [component, version] of Object.entries(versions ?? {}) as [ArtifactComponent, string | undefined][]) {
    if (!version) continue;
    try {
      findRelease(component, version, { releases: cat });
    } catch (error) {
      if (error instanceof ArtifactError && error.kind === "unknown-release") return { component, message: error.message };
      throw error;
    }
  }
  return null;
}
