"use client";
import { useNodes } from "./use-nodes";

export function NodeTable() {
  const { data, error, isPending } = useNodes();
  if (isPending) return <p className="text-slate-600">Loading nodes…</p>;
  if (error) return <p role="alert" className="text-red-700">Could not load nodes: {error.message}</p>;
  if (data.nodes.length === 0) {
    return (
      <div className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-700">
        No hosts yet. Add the Linux hosts you want to prepare, or start practice nodes with{" "}
        <code className="font-mono">npm run demo</code>.
      </div>
    );
  }
  return (
    <table className="w-full border-collapse overflow-hidden rounded border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Hosts</caption>
      <thead className="bg-slate-100 text-left">
        <tr>
          <th scope="col" className="p-2">Name</th>
          <th scope="col" className="p-2">Address</th>
          <th scope="col" className="p-2">User</th>
          <th scope="col" className="p-2">Privilege</th>
        </tr>
      </thead>
      <tbody>
        {data.nodes.map((node) => (
          <tr key={node.id} className="border-t border-slate-200">
            <td className="p-2 font-medium">
              {node.name}
              {node.practice && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">practice</span>}
            </td>
            <td className="p-2 font-mono">
              {node.address}:{node.port}
            </td>
            <td className="p-2 font-mono">{node.username}</td>
            <td className="p-2">{node.privilege}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
