import Link from "next/link";
import { hasRole } from "@/lib/contracts/auth";
import { DashboardKeyPanel } from "@/components/nodes/dashboard-key-panel";
import { NodeTable } from "@/components/nodes/node-table";
import { currentSession } from "@/server/auth/current";

export const dynamic = "force-dynamic";

export default async function NodesPage() {
  // A trainee sees only their practice node here: adding hosts, the inventory and the dashboard's key are not theirs.
  const trainee = !hasRole((await currentSession())?.user.role, "viewer");
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-bold">Nodes</h1>
        {!trainee && (
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
        )}
      </div>
      <NodeTable />
      {!trainee && <DashboardKeyPanel />}
    </div>
  );
}
