import type { RunView } from "../runs/run-view";

export interface NodeChanges {
  nodeId: string;
  name: string;
  /** Planned changes over the steps the Check could plan. */
  changes: number;
  /** The step the Check stopped at (blocked: it needs an earlier step applied first; or failed). */
  stoppedAt: { stepId: string; status: string } | null;
}

/**
 * What a Check of every step found per node, for the "Apply all steps" confirmation. A Check on a fresh
 * host stops at the first step that needs an earlier one applied (sysctl needs br_netfilter loaded):
 * the steps after it are counted once Apply gets there, and the confirmation says so.
 */
export function changesFound(view: Pick<RunView, "nodes" | "stepIds">): { total: number; nodes: NodeChanges[] } {
  const nodes = view.nodes.map((n): NodeChanges => {
    let changes = 0;
    let stoppedAt: NodeChanges["stoppedAt"] = null;
    for (const stepId of view.stepIds) {
      const s = n.steps[stepId];
      changes += s?.plan?.actions.length ?? 0;
      const status = s?.end?.status;
      if (!stoppedAt && status && status !== "pending-changes" && status !== "unchanged") stoppedAt = { stepId, status };
    }
    // A node that failed outside any step (it could not be reached) has no step results at all.
    if (!stoppedAt && n.status !== "pending-changes" && n.status !== "unchanged") {
      stoppedAt = { stepId: view.stepIds.find((id) => !n.steps[id]?.end) ?? view.stepIds[0], status: n.status };
    }
    return { nodeId: n.nodeId, name: n.name, changes, stoppedAt };
  });
  return { total: nodes.reduce((t, n) => t + n.changes, 0), nodes };
}
