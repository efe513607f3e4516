import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/contracts/runs";
import { reduceRunEvents } from "./run-view";
import { runBadgeStatus } from "./status-badge";

const at = "2026-01-01T00:00:00.000Z";

describe("reduceRunEvents", () => {
  it("folds a run's events into per-node logs, plans, probes and statuses", () => {
    const events: RunEvent[] = [
      { seq: 1, at, nodeId: null, stepId: null, type: "run-started", mode: "apply", stepIds: ["sysctl"], nodes: [{ nodeId: "a", name: "web-1" }] },
      { seq: 2, at, nodeId: "a", stepId: "sysctl", type: "phase", phase: "apply" },
      { seq: 3, at, nodeId: "a", stepId: "sysctl", type: "command-started", commandId: 1, phase: "apply", command: "sysctl --system" },
      { seq: 4, at, nodeId: "a", stepId: "sysctl", type: "output", commandId: 1, stream: "stdout", line: "<b>not html</b>" },
      { seq: 5, at, nodeId: "a", stepId: "sysctl", type: "command-finished", commandId: 1, exitCode: 0, durationMs: 12 },
      { seq: 6, at, nodeId: "a", stepId: "sysctl", type: "step-end", status: "changed", message: "1 change made and verified", fixStepId: null },
      { seq: 7, at, nodeId: "a", stepId: null, type: "node-end", status: "changed", message: "changed and verified" },
      { seq: 8, at, nodeId: null, stepId: null, type: "run-end", status: "succeeded", message: "changed and verified on 1 node" },
    ];
    const view = reduceRunEvents(events);
    expect(view).toMatchObject({ mode: "apply", status: "succeeded", lastSeq: 8 });
    expect(view.nodes).toHaveLength(1);
    const n = view.nodes[0];
    expect(n).toMatchObject({ name: "web-1", status: "changed", message: "changed and verified", phase: null });
    expect(n.log.map((l) => l.kind)).toEqual(["phase", "command", "stdout", "exit", "note"]);
    expect(n.log[2]).toMatchObject({ kind: "stdout", text: "<b>not html</b>" });
    expect(n.steps.sysctl.end?.status).toBe("changed");
  });

  it("keeps a rolling run's plan, each node's batch, the batch reached, and why a node never started", () => {
    const rolling = { batch: 1, stopAfter: 1, batchSize: 1, stopAfterFailures: 1, batches: 2 };
    const events: RunEvent[] = [
      { seq: 1, at, nodeId: null, stepId: null, type: "run-started", mode: "apply", stepIds: ["sysctl"], rolling, nodes: [{ nodeId: "a", name: "web-1", batch: 1 }, { nodeId: "b", name: "web-2", batch: 2 }] },
      { seq: 2, at, nodeId: null, stepId: null, type: "batch-started", batch: 1, of: 2, nodeIds: ["a"] },
      { seq: 3, at, nodeId: "a", stepId: null, type: "node-end", status: "failed", message: "sysctl: broke" },
      { seq: 4, at, nodeId: "b", stepId: null, type: "node-end", status: "skipped", message: "not started (stopped after batch 1 of 2: 1 of 1 node failed, the limit is 1)" },
      { seq: 5, at, nodeId: null, stepId: null, type: "run-end", status: "failed", message: "rollout stopped after batch 1 of 2: 1 of 1 node failed, the limit is 1; 1 node not started" },
    ];
    const view = reduceRunEvents(events);
    expect(view.rolling).toEqual(rolling);
    expect(view.batch).toEqual({ n: 1, of: 2 });
    expect(view.nodes.map((n) => [n.name, n.batch, n.status])).toEqual([
      ["web-1", 1, "failed"],
      ["web-2", 2, "skipped"],
    ]);
    expect(view.nodes[1].message).toMatch(/^not started \(stopped after batch 1/);
    expect(reduceRunEvents(events.slice(0, 1)).nodes.map((n) => n.batch)).toEqual([1, 2]);
  });

  it("knows when a rolling run waits between batches and why, until it continues or ends", () => {
    const wait = { kind: "canary" as const, afterBatch: 1, of: 2, reason: "waiting for Continue after the canary batch: 1 of 1 node ok" };
    const events: RunEvent[] = [
      { seq: 1, at, nodeId: null, stepId: null, type: "run-started", mode: "apply", stepIds: ["sysctl"], nodes: [{ nodeId: "a", name: "web-1", batch: 1 }, { nodeId: "b", name: "web-2", batch: 2 }] },
      { seq: 2, at, nodeId: "a", stepId: null, type: "node-end", status: "changed", message: "changed and verified" },
      { seq: 3, at, nodeId: null, stepId: null, type: "rollout-waiting", wait },
      { seq: 4, at, nodeId: null, stepId: null, type: "rollout-continued", afterBatch: 1, by: "carol" },
    ];
    expect(reduceRunEvents(events.slice(0, 3)).waiting).toEqual(wait);
    expect(reduceRunEvents(events).waiting).toBeNull();
    const cancelled: RunEvent = { seq: 4, at, nodeId: null, stepId: null, type: "run-end", status: "cancelled", message: "rollout cancelled by bob while waiting after batch 1 of 2; 1 node not started" };
    expect(reduceRunEvents([...events.slice(0, 3), cancelled]).waiting).toBeNull();
    // The rollout-level events name no node: none appears from them.
    expect(reduceRunEvents(events).nodes.map((n) => n.name)).toEqual(["web-1", "web-2"]);
  });
});

describe("runBadgeStatus", () => {
  it("a Check that found changes to make is amber 'changes to make', never green 'succeeded'", () => {
    const nodes = [{ status: "unchanged" as const }, { status: "pending-changes" as const }];
    expect(runBadgeStatus({ status: "succeeded", mode: "check", nodes })).toBe("pending-changes");
    expect(runBadgeStatus({ status: "succeeded", mode: "check", nodes: [nodes[0]] })).toBe("succeeded");
    expect(runBadgeStatus({ status: "succeeded", mode: "apply", nodes: [{ status: "changed" }] })).toBe("succeeded");
    expect(runBadgeStatus({ status: "failed", mode: "check", nodes })).toBe("failed");
    expect(runBadgeStatus({ status: "running", mode: "check", nodes })).toBe("running");
  });

  it("a run that only stopped at a step needing an earlier one is 'blocked', not 'failed'", () => {
    expect(runBadgeStatus({ status: "failed", mode: "check", nodes: [{ status: "pending-changes" }, { status: "blocked" }] })).toBe("blocked");
    expect(runBadgeStatus({ status: "failed", mode: "apply", nodes: [{ status: "blocked" }, { status: "failed" }] })).toBe("failed");
  });
});
