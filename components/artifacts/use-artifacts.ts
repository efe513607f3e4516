"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { artifactsApi } from "@/lib/api/artifacts";
import { queryKeys } from "@/lib/queries";

export function useReleases() {
  return useQuery({ queryKey: queryKeys.artifacts.releases(), queryFn: artifactsApi.releases });
}

export function useArtifactCacheMutations() {
  const qc = useQueryClient();
  const invalidate = () => qc.invalidateQueries({ queryKey: queryKeys.artifacts.all });
  const upload = useMutation({
    mutationFn: (v: { artifactId: string; file: File; onProgress?: (sent: number, total: number) => void }) =>
      artifactsApi.upload(v.artifactId, v.file, v.onProgress),
    onSettled: invalidate,
  });
  const fetchToCache = useMutation({ mutationFn: (artifactId: string) => artifactsApi.fetchToCache(artifactId), onSettled: invalidate });
  return { upload, fetchToCache };
}
