import { Suspense } from "react";
import { WizardSummary } from "@/components/wizard/wizard-summary";
import { steps } from "@/server/catalog";
import { contentHtml } from "@/server/content/markdown";

export const dynamic = "force-dynamic";
export const metadata = { title: "Summary · wizard · nodeprep" };

/** The wizard's ending: where each selected node stands, what changed, the report, what comes next. */
export default function WizardSummaryPage() {
  return (
    <Suspense>
      <WizardSummary steps={steps.map((s, i) => ({ id: s.id, title: s.title, order: i + 1 }))} nextHtml={contentHtml("next-steps") ?? ""} />
    </Suspense>
  );
}
