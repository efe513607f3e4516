import type { Metadata } from "next";
import { PracticeView } from "@/components/practice/practice-view";

export const metadata: Metadata = { title: "Practice · nodeprep" };

export default function PracticePage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Practice nodes</h1>
      <p className="max-w-3xl text-slate-700">
        Real Debian virtual machines with their own kernel, restored from a snapshot in seconds. A reset throws away everything
        done on a node; a stop discards its disk too. Training scenarios run on them.
      </p>
      <PracticeView />
    </div>
  );
}
