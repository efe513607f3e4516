import Link from "next/link";
import { DashboardKeyPanel } from "@/components/nodes/dashboard-key-panel";
import { NodeTable } from "@/components/nodes/node-table";

export default function NodesPage() {
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-bold">Nodes</h1>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-700">Ansible inventory:</span>
          <a href="/api/inventory/export?format=ini" className="underline" download>
            export INI
          </a>
          <a href="/api/inventory/export?format=yaml" className="underline" download>
            export YAML
          </a>
          <Link href="/nodes/import" className="rounded border border-slate-400 bg-white px-3 py-1.5 font-medium hover:bg-slate-100">
            Import inventory
          </Link>
          <Link href="/nodes/new" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
            Add node
          </Link>
        </div>
      </div>
      <NodeTable />
      <DashboardKeyPanel />
    </div>
  );
}
