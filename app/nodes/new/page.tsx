import { AddNode } from "@/components/nodes/add-node";

export default function NewNodePage() {
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">Add a node</h1>
      <p className="text-sm text-slate-700">
        After adding it, test the connection: you will see the host&apos;s key fingerprint and trust it before anything runs.
      </p>
      <AddNode />
    </div>
  );
}
