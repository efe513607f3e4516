"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { GroupSummary } from "@/lib/contracts/groups";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { useCan } from "../auth/use-me";
import { filterNodes } from "../nodes/filter";
import { useNodes } from "../nodes/use-nodes";
import { FilterInput } from "../ui/filter-input";
import { toggled } from "../ui/toggled";
import { useGroups, useRemoveGroup, useSaveGroup } from "./use-groups";

/** Groups: what each holds (nodes and child groups), made here or by an inventory import. */
export function GroupsView() {
  const groups = useGroups();
  const nodes = useNodes();
  const canEdit = useCan("admin");
  const [editing, setEditing] = useState<string | "new" | null>(null);
  if (groups.isPending || nodes.isPending) return <p className="text-slate-600">Loading groups…</p>;
  if (groups.error || nodes.error) return <p role="alert" className="text-red-700">Could not load groups: {(groups.error ?? nodes.error)!.message}</p>;
  const all = groups.data.groups;
  const byId = new Map(all.map((g) => [g.id, g]));
  const current = editing && editing !== "new" ? byId.get(editing) ?? null : null;
  return (
    <div className="space-y-4">
      {canEdit && editing === null && (
        <button type="button" onClick={() => setEditing("new")} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          New group
        </button>
      )}
      {editing !== null && (
        <GroupForm key={editing} group={current} groups={all} nodes={nodes.data.nodes} onDone={() => setEditing(null)} />
      )}
      {all.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          No groups yet: make one here, or <Link className="underline" href="/nodes/import">import an Ansible inventory</Link> with its groups.
        </p>
      ) : (
        <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
          <caption className="sr-only">Groups</caption>
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="p-2">Group</th>
              <th scope="col" className="p-2">Nodes (with children)</th>
              <th scope="col" className="p-2">Child groups</th>
              <th scope="col" className="p-2">Select</th>
              {canEdit && <th scope="col" className="p-2"><span className="sr-only">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {all.map((g) => (
              <tr key={g.id} className="border-t border-slate-200" data-group={g.name}>
                <th scope="row" className="p-2 text-left font-mono font-medium">{g.name}</th>
                <td className="p-2">
                  {g.nodeIds.length} direct, {g.allNodeIds.length} in all
                </td>
                <td className="p-2 font-mono">{g.childIds.map((id) => byId.get(id)?.name).join(", ") || "none"}</td>
                <td className="space-x-3 p-2">
                  <Link className="underline" href={`/health?group=${g.id}`}>health</Link>
                  <Link className="underline" href={`/wizard?groups=${g.id}`}>wizard</Link>
                </td>
                {canEdit && (
                  <td className="p-2 text-right">
                    <button type="button" className="underline" onClick={() => setEditing(g.id)} aria-label={`Edit ${g.name}`}>
                      Edit
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function GroupForm({ group, groups, nodes, onDone }: { group: GroupSummary | null; groups: GroupSummary[]; nodes: NodeSummary[]; onDone: () => void }) {
  const save = useSaveGroup(group?.id ?? null);
  const remove = useRemoveGroup();
  const [name, setName] = useState(group?.name ?? "");
  const [members, setMembers] = useState<Set<string>>(new Set(group?.nodeIds ?? []));
  const [children, setChildren] = useState<Set<string>>(new Set(group?.childIds ?? []));
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => filterNodes(nodes, filter), [nodes, filter]);
  const error = save.error ?? remove.error;
  return (
    <form
      aria-label={group ? `Edit group ${group.name}` : "New group"}
      className="space-y-3 rounded border border-slate-300 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ name, nodeIds: [...members], childIds: [...children] }, { onSuccess: onDone });
      }}
    >
      <label className="flex flex-col gap-1 text-sm font-semibold">
        Name
        <input className="w-64 rounded border border-slate-300 px-2 py-1 font-mono font-normal" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
      </label>
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold">Nodes ({members.size} selected)</legend>
        <FilterInput value={filter} onChange={setFilter} />
        <div className="grid max-h-64 grid-cols-[repeat(auto-fill,minmax(14rem,1fr))] gap-x-4 overflow-auto">
          {shown.map((n) => (
            <label key={n.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="size-4" checked={members.has(n.id)} onChange={(e) => setMembers(toggled(members, n.id, e.target.checked))} />
              <span className="font-mono">{n.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="text-sm font-semibold">Child groups</legend>
        <div className="flex flex-wrap gap-x-4">
          {groups
            .filter((g) => g.id !== group?.id)
            .map((g) => (
              <label key={g.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4" checked={children.has(g.id)} onChange={(e) => setChildren(toggled(children, g.id, e.target.checked))} />
                <span className="font-mono">{g.name}</span>
              </label>
            ))}
        </div>
      </fieldset>
      {error && (
        <p role="alert" className="text-sm text-red-800">
          {error.message}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={save.isPending} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50">
          {group ? "Save group" : "Create group"}
        </button>
        <button type="button" onClick={onDone} className="rounded border border-slate-400 px-3 py-1.5 text-sm">
          Cancel
        </button>
        {group && (
          <button
            type="button"
            onClick={() => remove.mutate(group.id, { onSuccess: onDone })}
            className="ml-auto rounded border border-red-400 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50"
          >
            Delete group
          </button>
        )}
      </div>
    </form>
  );
}
