import { Marked } from "marked";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { Wizard, type WizardStep } from "@/components/wizard/wizard";
import { stepSummaries } from "@/server/catalog";

// The explanations are the project's own Markdown (content/), but raw HTML in them is shown as text
// anyway: a trainer's edit can never inject markup.
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ stepId: string }> }) {
  const { stepId } = await params;
  const step = stepSummaries().find((s) => s.id === stepId);
  return { title: step ? `${step.title} · wizard · nodeprep` : "wizard · nodeprep" };
}

export default async function WizardStepPage({ params }: { params: Promise<{ stepId: string }> }) {
  const { stepId } = await params;
  const steps: WizardStep[] = stepSummaries().map((s) => ({ ...s, explanationHtml: markdown.parse(s.explanation, { async: false }) }));
  if (!steps.some((s) => s.id === stepId)) notFound();
  return (
    <Suspense>
      <Wizard steps={steps} currentStepId={stepId} />
    </Suspense>
  );
}
