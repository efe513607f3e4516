"use client";
import Link from "next/link";
import type { ScenarioProgress } from "@/lib/contracts/training";
import { useCan, useMe } from "../auth/use-me";
import { useNodes } from "../nodes/use-nodes";
import { StatusBadge } from "../runs/status-badge";
import { formatDuration } from "./format";
import { useScenarios } from "./use-training";

export function ProgressBadge({ progress }: { progress: ScenarioProgress }) {
  if (progress.status === "passed") return <StatusBadge status="ok" label={`passed${progress.timeMs !== null ? ` in ${formatDuration(progress.timeMs)}` : ""}`} />;
  if (progress.status === "in-progress") return <StatusBadge status="pending-changes" label="in progress" />;
  return <StatusBadge status="not-started" />;
}

/** The training page: chapter 0, the scenarios with the user's progress, and (trainers) the way to trainees. */
export function TrainingHome() {
  const scenarios = useScenarios();
  const { data: me } = useMe();
  const nodes = useNodes();
  const trainer = useCan("trainer");
  const mine = me?.user.role === "trainee" ? (nodes.data?.nodes ?? []) : [];
  return (
    <div className="space-y-6">
      {me?.user.role === "trainee" && (
        <p className="rounded border border-slate-200 bg-white p-3 text-sm" data-testid="my-practice-node">
          {mine.length ? (
            <>
              Your practice node: <span className="font-mono font-semibold">{mine.map((n) => n.name).join(", ")}</span>. Each scenario resets it first.
            </>
          ) : (
            "No practice node is assigned to you yet: ask your trainer."
          )}
        </p>
      )}
      {trainer && (
        <p className="text-sm">
          <Link className="font-semibold underline" href="/training/trainees">
            Trainees and their progress →
          </Link>
        </p>
      )}
      <section aria-labelledby="read-first" className="space-y-2">
        <h2 id="read-first" className="text-lg font-semibold">
          Read first
        </h2>
        <Link href="/wizard/choosing-a-runtime" className="block max-w-3xl rounded border border-slate-200 bg-white p-3 hover:border-slate-400">
          <span className="font-medium">Chapter 0: choosing a container runtime</span>
          <span className="block text-sm text-slate-600">
            What the kubelet asks of a runtime, dockershim&apos;s removal, containerd and the others, cgroups and their drivers, swap, ctr and crictl,
            the pause image, and what comes after. Ends with a self-check.
          </span>
        </Link>
      </section>
      <section aria-labelledby="scenarios-heading" className="space-y-2">
        <h2 id="scenarios-heading" className="text-lg font-semibold">
          Scenarios
        </h2>
        <p className="max-w-3xl text-sm text-slate-700">
          Each one resets your practice node and breaks it the way real clusters break. Find out what is wrong (the health view and the wizard
          help), fix it, and press &quot;Check my work&quot;: the grader reads the node with the same checks the wizard verifies with.
        </p>
        {scenarios.isPending && <p className="text-slate-600">Loading scenarios…</p>}
        {scenarios.error && <p role="alert" className="text-red-700">Could not load the scenarios: {scenarios.error.message}</p>}
        <ol className="grid gap-2 md:grid-cols-2">
          {scenarios.data?.scenarios.map((s) => (
            <li key={s.id}>
              <Link href={`/training/scenarios/${s.id}`} className="block h-full rounded border border-slate-200 bg-white p-3 hover:border-slate-400" aria-label={`Scenario ${s.number}: ${s.title}`}>
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-xs text-slate-500">{s.number}.</span>
                  <span className="font-medium">{s.title}</span>
                  <ProgressBadge progress={s.progress} />
                </span>
                <span className="block text-sm text-slate-600">{s.summary}</span>
                <span className="mt-1 block text-xs text-slate-500">
                  {s.base === "runtime" ? "starts with the container runtime installed" : "starts from a fresh node"} · {s.objectives.length} objective
                  {s.objectives.length === 1 ? "" : "s"}
                  {s.objectives.some((o) => o.afterReboot) ? " · graded after a reboot" : ""}
                </span>
              </Link>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
