import { notFound } from "next/navigation";
import { ScenarioView } from "@/components/training/scenario-view";
import { getScenario } from "@/server/training/scenarios";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ scenarioId: string }> }) {
  const { scenarioId } = await params;
  const s = getScenario(scenarioId);
  return { title: s ? `Scenario ${s.number}: ${s.title} · nodeprep` : "Scenario · nodeprep" };
}

export default async function ScenarioPage({ params }: { params: Promise<{ scenarioId: string }> }) {
  const { scenarioId } = await params;
  if (!getScenario(scenarioId)) notFound();
  return <ScenarioView scenarioId={scenarioId} />;
}
