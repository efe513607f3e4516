import type { StepProgressState } from "@/lib/contracts/catalog";
import type { NodeRunStatus, RolloutWait, RunMode, RunStatus } from "@/lib/contracts/runs";

export type Status = NodeRunStatus | RunStatus | StepProgressState | "ok" | "warn" | "fail" | "unknown" | "starting";

/**
 * What a run's badge says. A Check that found changes to make ended well, but "succeeded" in green above
 * red verification cards reads as if the host were ready: it says "changes to make" (amber) instead. A
 * run whose only unfinished nodes wait for an earlier step is "blocked", not "failed": nothing broke.
 */
export function runBadgeStatus(run: { status: RunStatus | "starting"; mode: RunMode | null; nodes: readonly { status: NodeRunStatus }[] }): Status {
  if (run.status === "succeeded" && run.mode === "check" && run.nodes.some((n) => n.status === "pending-changes")) return "pending-changes";
  const unfinished = run.nodes.filter((n) => !["unchanged", "changed", "pending-changes"].includes(n.status));
  if (run.status === "failed" && unfinished.length > 0 && unfinished.every((n) => n.status === "blocked")) return "blocked";
  return run.status;
}

/** A running rollout that waits between batches says so on its badge; undefined: the status's own word. */
export const waitingLabel = (wait: RolloutWait | null): string | undefined => (wait ? (wait.kind === "canary" ? "waiting for Continue" : "pausing") : undefined);

// Each status has a word and a symbol as well as a colour, so it still reads in greyscale.
const LOOK: Record<Status, { label: string; icon: string; cls: string }> = {
  pending: { label: "pending", icon: "○", cls: "bg-slate-100 text-slate-700" },
  starting: { label: "starting", icon: "○", cls: "bg-slate-100 text-slate-700" },
  running: { label: "running", icon: "◐", cls: "bg-blue-100 text-blue-900" },
  unchanged: { label: "nothing changed", icon: "✓", cls: "bg-green-100 text-green-900" },
  changed: { label: "changed", icon: "✓", cls: "bg-green-100 text-green-900" },
  "pending-changes": { label: "changes to make", icon: "△", cls: "bg-amber-100 text-amber-900" },
  blocked: { label: "blocked", icon: "⊘", cls: "bg-orange-100 text-orange-900" },
  failed: { label: "failed", icon: "✗", cls: "bg-red-100 text-red-900" },
  cancelled: { label: "cancelled", icon: "■", cls: "bg-slate-200 text-slate-800" },
  interrupted: { label: "interrupted", icon: "↯", cls: "bg-slate-200 text-slate-800" },
  skipped: { label: "not started", icon: "»", cls: "bg-slate-200 text-slate-800" },
  succeeded: { label: "succeeded", icon: "✓", cls: "bg-green-100 text-green-900" },
  "not-started": { label: "not started", icon: "○", cls: "bg-slate-100 text-slate-700" },
  planned: { label: "planned", icon: "△", cls: "bg-amber-100 text-amber-900" },
  done: { label: "done", icon: "✓", cls: "bg-green-100 text-green-900" },
  drift: { label: "drift", icon: "≠", cls: "bg-purple-100 text-purple-900" },
  ok: { label: "pass", icon: "✓", cls: "bg-green-100 text-green-900" },
  warn: { label: "warning", icon: "!", cls: "bg-amber-100 text-amber-900" },
  fail: { label: "fail", icon: "✗", cls: "bg-red-100 text-red-900" },
  unknown: { label: "unknown", icon: "?", cls: "bg-slate-100 text-slate-700" },
};

export function StatusBadge({ status, label }: { status: Status; label?: string }) {
  const look = LOOK[status];
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${look.cls}`}>
      <span aria-hidden="true">{look.icon}</span>
      {label ?? look.label}
    </span>
  );
}
