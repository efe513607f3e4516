import { RunsTable } from "@/components/runs/runs-table";

export default function RunsPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Runs</h1>
      <RunsTable />
    </div>
  );
}
