"use client";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { useCan } from "../auth/use-me";
import { useDecideHostKey } from "./use-nodes";

/** Host-key trust: never automatic. First contact asks "Trust this key"; a changed key blocks until "Replace key". */
export function HostKeyPanel({ node }: { node: NodeSummary }) {
  const decide = useDecideHostKey(node.id);
  const isAdmin = useCan("admin");
  const offered = node.offeredHostKey;
  return (
    <section aria-labelledby="host-key-heading" className="space-y-2 rounded border border-slate-200 bg-white p-4">
      <h2 id="host-key-heading" className="font-semibold">
        Host key
      </h2>
      {node.hostKeyStatus === "never-contacted" && (
        <p className="text-sm text-slate-700">No key seen yet. Test the connection: the host&apos;s key is shown here for you to check and trust before any command runs.</p>
      )}
      {node.hostKey && (
        <div className="text-sm">
          <p>
            Trusted key: <code className="font-mono">{node.hostKey.keygen}</code>
          </p>
          <p className="text-xs text-slate-600">
            {node.hostKey.source === "practice-image"
              ? "Pinned by the lab: it generated this practice node's own key when it started the node, so the key is known out of band."
              : `Trusted ${node.hostKey.trustedAt ? new Date(node.hostKey.trustedAt).toLocaleString() : ""}${node.hostKey.trustedBy ? ` by ${node.hostKey.trustedBy}` : ""}.`}
          </p>
        </div>
      )}
      {offered && node.hostKeyStatus === "untrusted" && (
        <div role="status" className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">First contact: the host offers this key.</p>
          <p>
            <code className="font-mono" aria-label="Offered host key">{offered.keygen}</code>
          </p>
          <p>
            Compare it with the host&apos;s own <code className="font-mono">ssh-keygen -lf /etc/ssh/ssh_host_{offered.type.replace(/^ssh-|-sha2-nistp\d+$/g, "")}_key.pub</code> (on its console or from your
            provider) before trusting it.
          </p>
          <button
            type="button"
            disabled={!isAdmin || decide.isPending}
            onClick={() => decide.mutate({ action: "trust", fingerprint: offered.fingerprint })}
            className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
          >
            Trust this key
          </button>
          {!isAdmin && <p className="text-xs">Only an admin can trust a host key.</p>}
        </div>
      )}
      {offered && node.hostKeyStatus === "changed" && node.hostKey && (
        <div role="alert" className="space-y-2 rounded border border-red-400 bg-red-50 p-3 text-sm text-red-950">
          <p className="font-bold">The host key changed. Nothing runs on this node until this is resolved.</p>
          <p>
            Someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled or its keys regenerated. Find out which
            before replacing the key.
          </p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="font-medium">Trusted</dt>
            <dd>
              <code className="font-mono">{node.hostKey.keygen}</code>
            </dd>
            <dt className="font-medium">Offered now</dt>
            <dd>
              <code className="font-mono">{offered.keygen}</code>
            </dd>
          </dl>
          <button
            type="button"
            disabled={!isAdmin || decide.isPending}
            onClick={() => decide.mutate({ action: "replace", fingerprint: offered.fingerprint })}
            className="rounded bg-red-800 px-3 py-1.5 font-medium text-white hover:bg-red-700 disabled:opacity-60"
          >
            Replace key
          </button>
          {!isAdmin && <p className="text-xs">Only an admin can replace a host key.</p>}
        </div>
      )}
      {decide.error && (
        <p role="alert" className="text-sm text-red-700">
          {decide.error.message}
        </p>
      )}
    </section>
  );
}
