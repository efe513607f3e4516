"use client";
import Link from "next/link";
import { memo, useDeferredValue, useMemo, useState } from "react";
import type { GroupSummary } from "@/lib/contracts/groups";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { GroupSelect } from "../groups/group-select";
import { useGroups } from "../groups/use-groups";
import { FilterInput } from "../ui/filter-input";
import { filterNodes, groupsByNode } from "./filter";
import { ContactBadge, HostKeyBadge } from "./status";
import { useNodes } from "./use-nodes";

const privilegeText = { root: "root login", "sudo-nopasswd": "sudo (no password)", "sudo-password": "sudo with password" } as const;
const authText = { key: "private key", password: "password", "dashboard-key": "dashboard key" } as const;

export function NodeTable() {
  const { data, error, isPending } = useNodes();
  const groups = useGroups();
  const [text, setText] = useState("");
  const [groupId, setGroupId] = useState("");
  // Typing stays instant at 1,000 rows: the table re-renders with the deferred text.
  const deferred = useDeferredValue(text);
  const allGroups = useMemo(() => groups.data?.groups ?? [], [groups.data]);
  const byNode = useMemo(() => groupsByNode(allGroups), [allGroups]);
  const shown = useMemo(
    () => filterNodes(data?.nodes ?? [], deferred, allGroups.find((g) => g.id === groupId) ?? null),
    [data, deferred, allGroups, groupId],
  );
  if (isPending) return <p className="text-slate-600">Loading nodes…</p>;
  if (error) return <p role="alert" className="text-red-700">Could not load nodes: {error.message}</p>;
  if (data.nodes.length === 0) {
    return (
      <div className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-700">
        No hosts yet. Add the Linux hosts you want to prepare, <Link className="underline" href="/nodes/import">import an Ansible inventory</Link>, or start practice nodes with{" "}
        <code className="font-mono">npm run demo</code>.
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <NodeFilters text={text} onText={setText} groupId={groupId} onGroup={setGroupId} groups={allGroups} shown={shown.length} total={data.nodes.length} />
      <NodeRows nodes={shown} byNode={byNode} />
    </div>
  );
}

export function NodeFilters({
  text,
  onText,
  groupId,
  onGroup,
  groups,
  shown,
  total,
}: {
  text: string;
  onText: (t: string) => void;
  groupId: string;
  onGroup: (id: string) => void;
  groups: readonly GroupSummary[];
  shown: number;
  total: number;
}) {
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <FilterInput value={text} onChange={onText} />
      {groups.length > 0 && <GroupSelect groups={groups} value={groupId} onChange={onGroup} />}
      <span className="text-slate-600" role="status" aria-label="Nodes shown">
        {shown === total ? `${total} nodes` : `${shown} of ${total} nodes`}
      </span>
    </div>
  );
}

/** The rows; memoised so typing in the filter does not re-render 1,000 rows until the result changes. */
export const NodeRows = memo(function NodeRows({ nodes, byNode }: { nodes: readonly NodeSummary[]; byNode: ReadonlyMap<string, string[]> }) {
  return (
    <table className="w-full border-collapse overflow-hidden rounded border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Hosts</caption>
      <thead className="bg-slate-100 text-left">
        <tr>
          <th scope="col" className="p-2">Name</th>
          <th scope="col" className="p-2">Address</th>
          <th scope="col" className="p-2">User and access</th>
          <th scope="col" className="p-2">Groups</th>
          <th scope="col" className="p-2">Host key</th>
          <th scope="col" className="p-2">Last test</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => (
          <NodeRow key={node.id} node={node} groups={byNode.get(node.id)} />
        ))}
      </tbody>
    </table>
  );
});

const NodeRow = memo(function NodeRow({ node, groups }: { node: NodeSummary; groups: string[] | undefined }) {
  return (
    <tr className="border-t border-slate-200 align-top">
      <td className="p-2 font-medium">
        <Link href={`/nodes/${node.id}`} className="text-sky-800 underline underline-offset-2 hover:text-sky-950">
          {node.name}
        </Link>
        {node.practice && (
          <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900" title="A practice node from lab/ (a local VM)">
            practice
          </span>
        )}
      </td>
      <td className="p-2 font-mono">
        {node.address.includes(":") ? `[${node.address}]` : node.address}:{node.port}
        {node.jumpNodeName && <span className="block font-sans text-xs text-slate-600">via {node.jumpNodeName}</span>}
      </td>
      <td className="p-2">
        <span className="font-mono">{node.username}</span>
        <span className="block text-xs text-slate-600">
          {authText[node.authMethod]}, {privilegeText[node.privilege]}
        </span>
      </td>
      <td className="p-2 font-mono text-xs">{groups?.join(", ")}</td>
      <td className="p-2">
        <HostKeyBadge node={node} />
      </td>
      <td className="p-2">
        <ContactBadge node={node} />
      </td>
    </tr>
  );
});
