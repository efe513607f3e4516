"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCan } from "../auth/use-me";
import { FactsView, ShapeSummary } from "./facts-view";
import { HostKeyPanel } from "./host-key-panel";
import { NodeForm } from "./node-form";
import { ContactBadge, HostKeyBadge } from "./status";
import { useNode, useRefreshFacts, useRemoveNode, useTestNode, useUpdateNode } from "./use-nodes";

export function NodeDetail({ id }: { id: string }) {
  const { data, error, isPending } = useNode(id);
  const test = useTestNode(id);
  const refresh = useRefreshFacts(id);
  const update = useUpdateNode(id);
  const remove = useRemoveNode(id);
  const router = useRouter();
  const canOperate = useCan("operator");
  const isAdmin = useCan("admin");
  const [editing, setEditing] = useState(false);

  if (isPending) return <p className="text-slate-600">Loading…</p>;
  if (error) return <p role="alert" className="text-red-700">Could not load the node: {error.message}</p>;
  const { node, facts } = data;
  const result = test.data ?? refresh.data;
  const blocked = node.hostKeyStatus === "changed";

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{node.name}</h1>
        {node.practice && <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">practice node (lab VM)</span>}
        <HostKeyBadge node={node} />
        <ContactBadge node={node} />
      </div>
      <p className="font-mono text-sm text-slate-700">
        {node.username}@{node.address.includes(":") ? `[${node.address}]` : node.address}:{node.port}
        {node.jumpNodeName && <span className="font-sans text-slate-600"> · through jump host {node.jumpNodeName}</span>}
      </p>
      <ShapeSummary facts={facts} />

      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={() => test.mutate()}
          disabled={!canOperate || test.isPending || blocked}
          className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60"
        >
          {test.isPending ? "Testing…" : "Test connection"}
        </button>
        <button
          type="button"
          onClick={() => refresh.mutate()}
          disabled={!canOperate || refresh.isPending || blocked || node.hostKeyStatus !== "trusted"}
          className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60"
        >
          {refresh.isPending ? "Gathering…" : "Refresh facts"}
        </button>
        {isAdmin && !node.practice && (
          <button type="button" onClick={() => setEditing((v) => !v)} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
            {editing ? "Close editor" : "Edit"}
          </button>
        )}
        {isAdmin && (
          <button
            type="button"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Remove ${node.name}? Its stored secrets are deleted.${node.practice ? " A running practice node comes back at the next start." : ""}`))
                remove.mutate(undefined, { onSuccess: () => router.push("/nodes") });
            }}
            className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50"
          >
            Remove
          </button>
        )}
      </div>
      {blocked && <p className="text-sm text-red-800">Connections are blocked until an admin decides about the changed host key below.</p>}

      <div aria-live="polite">
        {result && result.ok && (
          <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950">
            Connected as <code>{result.loginUser}</code>
            {result.rootUser !== "not checked" && (
              <>
                , commands as root run as <code>{result.rootUser}</code>
              </>
            )}{" "}
            ({(result.durationMs / 1000).toFixed(1)} s). Facts updated.
          </p>
        )}
        {result && !result.ok && (
          <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-950">
            <p className="font-medium">{result.kind.replace(/-/g, " ")}</p>
            <p>{result.message}</p>
          </div>
        )}
        {(test.error || refresh.error) && (
          <p role="alert" className="text-sm text-red-700">
            {(test.error ?? refresh.error)!.message}
          </p>
        )}
      </div>

      {editing && (
        <NodeForm
          node={node}
          submitLabel="Save changes"
          onCancel={() => setEditing(false)}
          onSubmit={async (input) => {
            await update.mutateAsync(input);
            setEditing(false);
          }}
        />
      )}

      <HostKeyPanel node={node} />
      <FactsView facts={facts} />
      <p>
        <Link href="/nodes" className="text-sm text-sky-800 underline underline-offset-2">
          ← All nodes
        </Link>
      </p>
    </div>
  );
}
