import "server-only";
import type { ArtifactComponent } from "@/lib/contracts/artifacts";
import type { RuntimeVersions } from "@/lib/contracts/runs";
import { findRelease, type LoadedCatalogue } from "./catalogue";
import { ArtifactError } from "./errors";

/**
 * The first version of a run's request that the release catalogue lacks, with the catalogue's own
 * words (naming the versions it has); null when every one is known. Checked when the run is asked
 * for, so a typo is a 400 at once rather than a run that starts and fails on every node.
 */
export function unknownVersion(versions: RuntimeVersions | undefined, cat?: LoadedCatalogue): { component: ArtifactComponent; message: string } | null {
  for (const [component, version] of Object.entries(versions ?? {}) as [ArtifactComponent, string | undefined][]) {
    if (!version) continue;
    try {
      findRelease(component, version, { catalogue: cat });
    } catch (error) {
      if (error instanceof ArtifactError && error.kind === "unknown-release") return { component, message: error.message };
      throw error;
    }
  }
  return null;
}
