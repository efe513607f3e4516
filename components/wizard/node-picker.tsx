"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { GroupSummary } from "@/lib/contracts/groups";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { filterNodes } from "../nodes/filter";
import { FilterInput } from "../ui/filter-input";

/** Show a filter box above this many nodes. */
const FILTER_FROM = 12;

/**
 * Nodes, and groups of nodes: a ticked group selects every node in it (and in its children); those
 * nodes show ticked and cannot be unticked one by one while the group is.
 */
const NO_GROUPS: GroupSummary[] = [];
const NO_GROUPS_SELECTED: readonly string[] = [];

export function NodePicker({
  nodes,
  groups = NO_GROUPS,
  selected,
  selectedGroups = NO_GROUPS_SELECTED,
  onChange,
  onChangeGroups = () => {},
  loading,
}: {
  nodes: NodeSummary[];
  /** Without groups (the wizard's summary page): nodes only. */
  groups?: GroupSummary[];
  selected: readonly string[];
  selectedGroups?: readonly string[];
  onChange: (ids: string[]) => void;
  onChangeGroups?: (ids: string[]) => void;
  loading: boolean;
}) {
  const [filter, setFilter] = useState("");
  const viaGroup = useMemo(() => {
    const m = new Map<string, string>();
    for (const g of groups) if (selectedGroups.includes(g.id)) for (const n of g.allNodeIds) if (!m.has(n)) m.set(n, g.name);
    return m;
  }, [groups, selectedGroups]);
  const shown = useMemo(() => filterNodes(nodes, filter), [nodes, filter]);
  const count = new Set([...selected, ...viaGroup.keys()]).size;
  return (
    <fieldset className="rounded border border-slate-200 bg-white p-3">
      <legend className="px-1 text-sm font-semibold">
        Nodes{count > 0 && <span className="font-normal text-slate-600"> ({count} selected)</span>}
      </legend>
      {loading && <p className="text-sm text-slate-600">Loading nodes…</p>}
      {!loading && nodes.length === 0 && (
        <p className="text-sm text-slate-700">
          No hosts yet: <Link className="underline" href="/nodes">add one on the Nodes page</Link>.
        </p>
      )}
      {groups.length > 0 && (
        <div role="group" aria-label="Groups" className="mb-2 flex flex-wrap gap-x-4 gap-y-1 border-b border-slate-200 pb-2">
          {groups.map((g) => (
            <label key={g.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4"
                checked={selectedGroups.includes(g.id)}
                onChange={(e) => onChangeGroups(e.target.checked ? [...selectedGroups, g.id] : selectedGroups.filter((id) => id !== g.id))}
              />
              <span>
                group <span className="font-mono">{g.name}</span>
              </span>
              <span className="text-xs text-slate-500">{g.allNodeIds.length} nodes</span>
            </label>
          ))}
        </div>
      )}
      {nodes.length > FILTER_FROM && (
        <div className="mb-2">
          <FilterInput value={filter} onChange={setFilter} />
        </div>
      )}
      <div className="flex max-h-72 flex-wrap gap-x-4 gap-y-1 overflow-auto">
        {shown.map((n) => {
          const group = viaGroup.get(n.id);
          return (
            <label key={n.id} className="flex items-center gap-2 text-sm" title={group ? `selected with group ${group}` : undefined}>
              <input
                type="checkbox"
                className="size-4"
                checked={!!group || selected.includes(n.id)}
                disabled={!!group}
                onChange={(e) => onChange(e.target.checked ? [...selected, n.id] : selected.filter((id) => id !== n.id))}
              />
              <span className="font-mono">{n.name}</span>
              <span className="text-xs text-slate-500">
                {n.address}:{n.port}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
