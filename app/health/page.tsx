import { Suspense } from "react";
import { HealthView } from "@/components/health/health-view";
import { probeHelps } from "@/server/catalog";
import { renderAll } from "@/server/content/markdown";

export const metadata = { title: "Health · nodeprep" };
// The help texts are content/ files a trainer edits: read them per request, like the wizard's.
export const dynamic = "force-dynamic";

export default function HealthPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Health</h1>
      <p className="text-slate-700">Every node&apos;s readiness for the container runtime, from the same probes the wizard verifies with.</p>
      <Suspense>
        <HealthView help={renderAll(probeHelps())} />
      </Suspense>
    </div>
  );
}
