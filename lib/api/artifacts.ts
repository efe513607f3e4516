import { z } from "zod";
import { ReleasesView, CachedArtifact, UploadBegun, UploadProgress } from "../contracts/artifacts";
import { fetchJson } from "../fetcher";

const json = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body) });

export const artifactsApi = {
  releases: () => fetchJson(ReleasesView, "/api/artifacts"),

  /** The dashboard downloads the file into its cache (needs internet on the dashboard's machine). */
  fetchToCache: (artifactId: string) => fetchJson(CachedArtifact, "/api/artifacts/fetch", json({ artifactId })),

  /**
   * Upload a file the operator picked, in chunks (API bodies are capped at 1 MB). The server keeps it
   * only if its sha256 is the release list's; otherwise the error names expected and actual sums.
   */
  async upload(artifactId: string, file: Blob, onProgress?: (sent: number, total: number) => void) {
    const begun = await fetchJson(UploadBegun, "/api/artifacts/uploads", json({ artifactId, size: file.size }));
    for (let offset = 0; offset < file.size; offset += begun.chunkBytes) {
      const chunk = file.slice(offset, offset + begun.chunkBytes);
      await fetchJson(UploadProgress, `/api/artifacts/uploads/${begun.uploadId}?offset=${offset}`, {
        method: "PUT",
        body: chunk,
        headers: { "content-type": "application/octet-stream" },
      });
      onProgress?.(Math.min(offset + begun.chunkBytes, file.size), file.size);
    }
    return fetchJson(CachedArtifact, `/api/artifacts/uploads/${begun.uploadId}/complete`, { method: "POST" });
  },
};

export type ReleasesViewData = z.infer<typeof ReleasesView>;
