import type { Metadata } from "next";
import { TrainingHome } from "@/components/training/training-home";

export const metadata: Metadata = { title: "Training · nodeprep" };

export default function TrainingPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Training</h1>
      <TrainingHome />
    </div>
  );
}
