import { notFound } from "next/navigation";
import { z } from "zod";
import { NodeHealthView } from "@/components/health/node-health-view";
import { probeHelps } from "@/server/catalog";
import { renderAll } from "@/server/content/markdown";

export const metadata = { title: "Node health · nodeprep" };

export default async function NodeHealthPage({ params }: { params: Promise<{ nodeId: string }> }) {
  const { nodeId } = await params;
  if (!z.string().uuid().safeParse(nodeId).success) notFound();
  return <NodeHealthView nodeId={nodeId} help={renderAll(probeHelps())} />;
}
