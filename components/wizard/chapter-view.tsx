"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { StepSummary } from "@/lib/contracts/catalog";
import { SelfCheck } from "../training/self-check";
import { TrustedMarkdown } from "../ui/trusted-markdown";
import { StepList, type Chapter } from "./step-list";

/** A chapter before the steps (chapter 0): reading and a self-check; it runs nothing on hosts. */
export function ChapterView({ chapter, html, chapters, steps }: { chapter: Chapter; html: string; chapters: Chapter[]; steps: Pick<StepSummary, "id" | "title" | "order" | "summary">[] }) {
  const nodes = useSearchParams().get("nodes");
  const hrefFor = (id: string) => `/wizard/${id}${nodes ? `?nodes=${nodes}` : ""}`;
  const first = steps[0];
  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <aside>
        <StepList steps={steps} chapters={chapters} currentStepId={chapter.id} nodes={[]} hrefFor={hrefFor} />
      </aside>
      <div className="min-w-0 max-w-3xl space-y-6">
        <header className="space-y-1">
          <p className="font-mono text-xs text-slate-500">Before step 1</p>
          <h1 className="text-2xl font-bold">{chapter.title}</h1>
        </header>
        <TrustedMarkdown framed={false} html={html} label="Chapter" className="rounded border border-slate-200 bg-white p-4" />
        <SelfCheck checkId={chapter.id} />
        {first && (
          <div className="border-t border-slate-200 pt-4">
            <Link href={hrefFor(first.id)} className="font-semibold underline focus:outline-2 focus:outline-blue-600">
              Next: step 1, {first.title} →
            </Link>
          </div>
        )}
      </div>
    </div>
  );
}
