"use client";
import Link from "next/link";
import { ContactBadge, HostKeyBadge } from "./status";
import { useNodes } from "./use-nodes";

const privilegeText = { root: "root login", "sudo-nopasswd": "sudo (no password)", "sudo-password": "sudo with password" } as const;
const authText = { key: "private key", password: "password", "dashboard-key": "dashboard key" } as const;

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
          <th scope="col" className="p-2">User and access</th>
          <th scope="col" className="p-2">Host key</th>
          <th scope="col" className="p-2">Last test</th>
        </tr>
      </thead>
      <tbody>
        {data.nodes.map((node) => (
          <tr key={node.id} className="border-t border-slate-200 align-top">
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
            <td className="p-2">
              <HostKeyBadge node={node} />
            </td>
            <td className="p-2">
              <ContactBadge node={node} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
