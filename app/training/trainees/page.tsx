import type { Metadata } from "next";
import { TraineesView } from "@/components/training/trainees-view";
import { requirePageRole } from "@/server/auth/current";

export const metadata: Metadata = { title: "Trainees · nodeprep" };
export const dynamic = "force-dynamic";

export default async function TraineesPage() {
  const session = await requirePageRole("trainer", "/training/trainees");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Trainees and progress</h1>
      {session ? <TraineesView /> : <p role="alert" className="text-slate-700">Only trainers and admins manage trainees.</p>}
    </div>
  );
}
