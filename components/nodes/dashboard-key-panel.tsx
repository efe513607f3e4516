"use client";
import { useState } from "react";
import { useDashboardKey } from "./use-nodes";

/** The dashboard's own public key, for a host's ~/.ssh/authorized_keys (as Cockpit and Rancher offer). */
export function DashboardKeyPanel() {
  const { data, error, isPending } = useDashboardKey();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    if (!data) return;
    try {
      await navigator.clipboard.writeText(data.publicKey);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <section aria-labelledby="dashboard-key-heading" className="space-y-2 rounded border border-slate-200 bg-white p-4">
      <h2 id="dashboard-key-heading" className="font-semibold">
        The dashboard&apos;s own key
      </h2>
      <p className="text-sm text-slate-700">
        Instead of storing a key of yours, add this public key to the host user&apos;s <code className="font-mono">~/.ssh/authorized_keys</code> and
        choose &quot;dashboard key&quot; as the authentication.
      </p>
      {isPending && <p className="text-sm text-slate-600">Loading…</p>}
      {error && <p role="alert" className="text-sm text-red-700">Could not load the key: {error.message}</p>}
      {data && (
        <>
          <label htmlFor="dashboard-public-key" className="sr-only">
            Dashboard public key
          </label>
          <textarea
            id="dashboard-public-key"
            readOnly
            rows={2}
            value={data.publicKey}
            onFocus={(e) => e.currentTarget.select()}
            className="w-full resize-none rounded border border-slate-300 bg-slate-50 p-2 font-mono text-xs"
          />
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <button type="button" onClick={copy} className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
              Copy public key
            </button>
            <span role="status" className="text-slate-700">
              {copied === "yes" ? "Copied." : copied === "failed" ? "Copying is blocked here: select the text and copy it." : ""}
            </span>
            <span className="font-mono text-xs text-slate-600">{data.keygen}</span>
          </div>
        </>
      )}
    </section>
  );
}
