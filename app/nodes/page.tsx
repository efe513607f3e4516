import Link from "next/link";
import { DashboardKeyPanel } from "@/components/nodes/dashboard-key-panel";
import { NodeTable } from "@/components/nodes/node-table";

export default function NodesPage() {
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-bold">Nodes</h1>
        <Link href="/nodes/new" className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
          Add node
        </Link>
      </div>
      <NodeTable />
      <DashboardKeyPanel />
    </div>
  );
}
