"use client";
import { useRouter } from "next/navigation";
import { NodeForm } from "./node-form";
import { useCreateNode } from "./use-nodes";

export function AddNode() {
  const create = useCreateNode();
  const router = useRouter();
  return (
    <NodeForm
      submitLabel="Add node"
      onCancel={() => router.push("/nodes")}
      onSubmit={async (input) => {
        const { node } = await create.mutateAsync(input);
        router.push(`/nodes/${node.id}`);
      }}
    />
  );
}
