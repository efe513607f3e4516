import "server-only";

// server/artifacts: the release list (versions, URLs, sha256 per arch, libc policy), the
// dashboard's artifact cache, and staging files to hosts with a sha256 check on the host.
export { actionFor, applyArtifactAction, describeAction, fromCatalogAction, installCommand, planArtifactAction, resolveAction, STANDARD_DIRS, type AppliedArtifact, type ApplyArtifactOptions } from "./apply";
export { addToCache, cacheDir, cachedText, downloadToCache, findCached, sha256OfFile, MAX_ARTIFACT_BYTES } from "./cache";
export { buildReleases, currentReleases, compareVersions, defaultRelease, findRelease, resolveArtifact, type LoadedReleases, type PickOptions } from "./releases";
export { checkLibc, pickArtifact, type HostFit, type LibcVerdict } from "./host-fit";
export { localReleasesDir, localReleasesDirs } from "./local-releases";
export { ArtifactError, ChecksumMismatchError, type ArtifactErrorKind } from "./errors";
export { downloadUrl, STAGING_PARENT, stageArtifact, withStagedArtifact, type StagedArtifact, type StageOptions } from "./stage";
export { appendUpload, beginUpload, completeUpload, UPLOAD_CHUNK_BYTES } from "./uploads";
export { releasesView } from "./view";
