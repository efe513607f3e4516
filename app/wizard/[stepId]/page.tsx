import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ChapterView } from "@/components/wizard/chapter-view";
import { Wizard, type WizardStep } from "@/components/wizard/wizard";
import { explanation, stepSummaries } from "@/server/catalog";
import { renderMarkdown } from "@/server/content/markdown";
import { CHAPTERS } from "@/server/training/self-checks";

const chapters = CHAPTERS.map((c) => ({ id: c.id, title: c.shortTitle, summary: c.summary }));

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ stepId: string }> }) {
  const { stepId } = await params;
  const title = stepSummaries().find((s) => s.id === stepId)?.title ?? CHAPTERS.find((c) => c.id === stepId)?.title;
  return { title: title ? `${title} · wizard · nodeprep` : "wizard · nodeprep" };
}

export default async function WizardStepPage({ params }: { params: Promise<{ stepId: string }> }) {
  const { stepId } = await params;
  const chapter = CHAPTERS.find((c) => c.id === stepId);
  if (chapter) {
    const steps = stepSummaries().map(({ id, title, order, summary }) => ({ id, title, order, summary }));
    return (
      <Suspense>
        <ChapterView chapter={{ id: chapter.id, title: chapter.title, summary: chapter.summary }} html={renderMarkdown(explanation(chapter.id))} chapters={chapters} steps={steps} />
      </Suspense>
    );
  }
  const steps: WizardStep[] = stepSummaries().map((s) => ({ ...s, explanationHtml: renderMarkdown(s.explanation) }));
  if (!steps.some((s) => s.id === stepId)) notFound();
  return (
    <Suspense>
      <Wizard steps={steps} currentStepId={stepId} chapters={chapters} />
    </Suspense>
  );
}
