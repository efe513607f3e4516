import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Wizard, type WizardStep } from "@/components/wizard/wizard";
import { stepSummaries } from "@/server/catalog";
import { renderMarkdown } from "@/server/content/markdown";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ stepId: string }> }) {
  const { stepId } = await params;
  const step = stepSummaries().find((s) => s.id === stepId);
  return { title: step ? `${step.title} · wizard · nodeprep` : "wizard · nodeprep" };
}

export default async function WizardStepPage({ params }: { params: Promise<{ stepId: string }> }) {
  const { stepId } = await params;
  const steps: WizardStep[] = stepSummaries().map((s) => ({ ...s, explanationHtml: renderMarkdown(s.explanation) }));
  if (!steps.some((s) => s.id === stepId)) notFound();
  return (
    <Suspense>
      <Wizard steps={steps} currentStepId={stepId} />
    </Suspense>
  );
}
