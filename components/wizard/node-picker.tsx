"use client";
import Link from "next/link";
import type { NodeSummary } from "@/lib/contracts/nodes";

export function NodePicker({
  nodes,
  selected,
  onChange,
  loading,
}: {
  nodes: NodeSummary[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  loading: boolean;
}) {
  return (
    <fieldset className="rounded border border-slate-200 bg-white p-3">
      <legend className="px-1 text-sm font-semibold">Nodes</legend>
      {loading && <p className="text-sm text-slate-600">Loading nodes…</p>}
      {!loading && nodes.length === 0 && (
        <p className="text-sm text-slate-700">
          No hosts yet: <Link className="underline" href="/nodes">add one on the Nodes page</Link>.
        </p>
      )}
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {nodes.map((n) => (
          <label key={n.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4"
              checked={selected.includes(n.id)}
              onChange={(e) => onChange(e.target.checked ? [...selected, n.id] : selected.filter((id) => id !== n.id))}
            />
            <span className="font-mono">{n.name}</span>
            <span className="text-xs text-slate-500">
              {n.address}:{n.port}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
