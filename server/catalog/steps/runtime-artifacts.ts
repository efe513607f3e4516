import "server-only";
import type { ArtifactComponent, ArtifactDest, UploadArtifactAction } from "@/lib/contracts/artifacts";
import type { HostFacts } from "@/lib/contracts/facts";
import { checkLibc, describeAction, planArtifactAction, resolveAction } from "../../artifacts";

/**
 * The upload-artifact action for a host, or an Error naming why this host cannot take that build
 * (architecture not published, musl, glibc too old: checkLibc). A plan throws it: the run ends on this
 * node with the reason before anything is staged, and /usr/local is left alone.
 */
export function artifactFor(
  component: ArtifactComponent,
  facts: HostFacts,
  dest: ArtifactDest,
  version: string | null = null,
): UploadArtifactAction & { reason: string } {
  // null: the release list's default; a version it does not have throws, naming the ones it has.
  const action = planArtifactAction(component, version, facts.arch, dest);
  const artifact = resolveAction(action);
  const libc = checkLibc(artifact, facts.libc);
  if (!libc.ok) throw new Error(`refusing ${artifact.file} on this host: ${libc.reason}`);
  return { ...action, reason: describeAction(action) };
}
