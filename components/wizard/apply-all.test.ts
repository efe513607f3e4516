import { describe, expect, it } from "vitest";
import type { PlannedAction } from "@/lib/contracts/catalog";
import type { NodeView } from "../runs/run-view";
import { changesFound } from "./apply-all";

const action = (argv: string[]): PlannedAction => ({ kind: "run-command", argv, reason: "", command: argv.join(" "), script: argv.join(" ") });
const node = (nodeId: string, steps: NodeView["steps"]): NodeView => ({ nodeId, name: nodeId, status: "pending-changes", message: null, batch: null, phase: null, facts: null, log: [], steps });

describe("changesFound", () => {
  it("counts the planned changes per node and names the step a Check stopped at", () => {
    const fresh = node("fresh", {
      "kernel-modules": { plan: { actions: [action(["modprobe", "overlay"]), action(["modprobe", "br_netfilter"])], notes: [] }, requires: [], verify: [], end: { status: "pending-changes", message: "", fixStepId: null } },
      sysctl: { plan: null, requires: [], verify: [], end: { status: "blocked", message: "", fixStepId: "kernel-modules" } },
    });
    const done = node("done", {
      "kernel-modules": { plan: { actions: [], notes: [] }, requires: [], verify: [], end: { status: "unchanged", message: "", fixStepId: null } },
      sysctl: { plan: { actions: [action(["sysctl", "--system"])], notes: [] }, requires: [], verify: [], end: { status: "pending-changes", message: "", fixStepId: null } },
    });
    const lost = { ...node("lost", {}), status: "failed" as const };
    expect(changesFound({ stepIds: ["kernel-modules", "sysctl"], nodes: [lost] }).nodes[0].stoppedAt).toEqual({ stepId: "kernel-modules", status: "failed" });
    expect(changesFound({ stepIds: ["kernel-modules", "sysctl"], nodes: [fresh, done] })).toEqual({
      total: 3,
      nodes: [
        { nodeId: "fresh", name: "fresh", changes: 2, stoppedAt: { stepId: "sysctl", status: "blocked" } },
        { nodeId: "done", name: "done", changes: 1, stoppedAt: null },
      ],
    });
  });
});
