import { NodeTable } from "@/components/nodes/node-table";

export default function NodesPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Nodes</h1>
      <NodeTable />
    </div>
  );
}
