import "server-only";
import type { ArtifactComponent, ArtifactDest, UploadArtifactAction } from "@/lib/contracts/artifacts";
import type { HostFacts } from "@/lib/contracts/facts";
import { actionFor, checkLibc, describeAction, pickArtifact } from "../../artifacts";

/**
 * The upload-artifact action for a host, or an Error naming why this host cannot take that build
 * (architecture not published, musl, glibc too old: checkLibc). Of several builds of the version (the
 * lab's Debian 11, 12 and 13 builds, amd64 and arm64), the one that fits the host's facts is picked.
 * A plan throws the refusal: the run ends on this node with the reason before anything is staged or
 * copied, and /usr/local is left alone.
 */
export function artifactFor(
  component: ArtifactComponent,
  facts: HostFacts,
  dest: ArtifactDest,
  version: string | null = null,
): UploadArtifactAction & { reason: string } {
  // null: the release list's default; a version it does not have throws, naming the ones it has.
  const artifact = pickArtifact(component, version, facts);
  const libc = checkLibc(artifact, facts.libc, { os: facts.os });
  if (!libc.ok) throw new Error(`refusing ${artifact.file} on this host: ${libc.reason}`);
  const action = actionFor(artifact, dest);
  return { ...action, reason: describeAction(action) };
}
