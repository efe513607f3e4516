"use client";
import { useId, useRef, useState } from "react";
import type { ReleaseView } from "@/lib/contracts/artifacts";
import { useArtifactCacheMutations, useReleases } from "./use-artifacts";

// The artifact cache: every release in the release list, which files the dashboard holds (to stage to
// hosts without internet over SFTP), and an upload or a dashboard-side download to fill it. The
// server keeps a file only when its sha256 is the release list's.

const button = "rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50";
const componentLabel: Record<ReleaseView["component"], string> = {
  containerd: "containerd",
  runc: "runc",
  "cni-plugins": "CNI plugins",
  "containerd-service": "containerd.service",
};

export function ArtifactCachePanel({ canUpload }: { canUpload: boolean }) {
  const { data, error, isPending } = useReleases();
  const { upload, fetchToCache } = useArtifactCacheMutations();
  const [progress, setProgress] = useState<{ artifactId: string; sent: number; total: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const failure = upload.error ?? fetchToCache.error;
  const busy = upload.isPending || fetchToCache.isPending;

  const onUpload = (artifactId: string, file: File) => {
    setMessage(null);
    upload.mutate(
      { artifactId, file, onProgress: (sent, total) => setProgress({ artifactId, sent, total }) },
      {
        onSuccess: (r) => setMessage(`${r.file} verified (sha256 ${r.sha256}) and cached.`),
        onSettled: () => setProgress(null),
      },
    );
  };

  return (
    <section aria-labelledby="artifact-cache-heading" className="space-y-3">
      <h2 id="artifact-cache-heading" className="text-lg font-semibold">
        Release artifacts
      </h2>
      {data?.localReleasesDir && (
        <p className="text-sm text-slate-700">
          Local releases from <code className="font-mono">{data.localReleasesDir}</code> are in use (practice nodes): they are the default.
        </p>
      )}
      {failure && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {failure.message}
        </p>
      )}
      {message && (
        <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-800">
          {message}
        </p>
      )}
      {progress && (
        <p role="status" className="text-sm text-slate-700">
          Uploading… <progress value={progress.sent} max={progress.total} aria-label="Upload progress" /> {Math.round((100 * progress.sent) / progress.total)}%
        </p>
      )}
      {isPending && <p className="text-slate-600">Loading the release catalogue…</p>}
      {error && (
        <p role="alert" className="text-red-700">
          Could not load the release catalogue: {error.message}
        </p>
      )}
      {data && (
        <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
          <caption className="sr-only">Release catalogue and artifact cache</caption>
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="p-2">Component</th>
              <th scope="col" className="p-2">Version</th>
              <th scope="col" className="p-2">File</th>
              <th scope="col" className="p-2">sha256</th>
              <th scope="col" className="p-2">Cache</th>
            </tr>
          </thead>
          <tbody>
            {data.releases.flatMap((r) =>
              r.files.map((f) => (
                <tr key={f.artifactId} className="border-t border-slate-200 align-top">
                  <td className="p-2">
                    {componentLabel[r.component]}
                    {r.variant === "static" && <span className="ml-1 text-xs text-slate-600">(static)</span>}
                  </td>
                  <td className="p-2">
                    {r.version}
                    {r.source === "local" && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">local{r.build ? ` ${r.build}` : ""}</span>}
                    {r.isDefault && <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-900">default</span>}
                    {r.glibcMin && <div className="text-xs text-slate-600">needs glibc ≥ {r.glibcMin}{r.musl ? "" : ", not musl"}</div>}
                  </td>
                  <td className="p-2 font-mono text-xs">{f.url ? <a className="underline" href={f.url}>{f.file}</a> : f.file}</td>
                  <td className="p-2 font-mono text-xs break-all">{f.sha256 ?? "from the project's checksum file"}</td>
                  <td className="p-2">
                    {f.cached ? (
                      <span className="text-green-800">cached</span>
                    ) : canUpload && f.sha256 ? (
                      <div className="flex flex-wrap gap-1">
                        <UploadButton label={`Upload ${f.file}`} disabled={busy} onFile={(file) => onUpload(f.artifactId, file)} />
                        {f.url && (
                          <button type="button" className={button} disabled={busy} onClick={() => fetchToCache.mutate(f.artifactId)} aria-label={`Download ${f.file} into the cache`}>
                            Download
                          </button>
                        )}
                      </div>
                    ) : (
                      <span className="text-slate-600">not cached</span>
                    )}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

function UploadButton({ label, disabled, onFile }: { label: string; disabled: boolean; onFile: (file: File) => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        id={id}
        ref={input}
        type="file"
        className="sr-only"
        tabIndex={-1}
        aria-hidden="true"
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = "";
        }}
      />
      <button type="button" className={button} disabled={disabled} aria-label={label} onClick={() => input.current?.click()}>
        Upload…
      </button>
    </>
  );
}
