import { z } from "zod";
import { Delivery } from "./artifacts";
import { PlannedAction, ProbeResult, StepId } from "./catalog";

// A run: one step or several (in catalog order) on one or more nodes, in check or apply mode.
// It lives in SQLite with its numbered events; the browser replays them and follows live ones.

export const RunMode = z.enum(["check", "apply"]);
export type RunMode = z.infer<typeof RunMode>;

export const RunStatus = z.enum(["running", "succeeded", "failed", "cancelled", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * unchanged: plan empty and verified ("already done, nothing changed"); changed: applied and verified;
 * pending-changes: check mode found work to do; blocked: a requirement is not met (another step first).
 */
export const NodeRunStatus = z.enum([
  "pending",
  "running",
  "unchanged",
  "changed",
  "pending-changes",
  "blocked",
  "failed",
  "cancelled",
  "interrupted",
  /** A rolling run stopped (failure threshold or cancel) before this node's batch: nothing ran on it. */
  "skipped",
]);
export type NodeRunStatus = z.infer<typeof NodeRunStatus>;

export const Phase = z.enum(["connect", "facts", "requires", "plan", "apply", "verify"]);
export type Phase = z.infer<typeof Phase>;

/** A phase in words, for messages ("... while applying the plan"). */
export const PHASE_WORDS: Record<Phase, string> = {
  connect: "connecting",
  facts: "reading the host's facts",
  requires: "checking what the step needs",
  plan: "planning",
  apply: "applying the plan",
  verify: "verifying",
};

/** A version as the release list spells it: "1.7.22", "v1.1.14", "1.6.20~local". */
export const ReleaseVersion = z.string().max(64).regex(/^v?\d+\.\d+(\.\d+)?[A-Za-z0-9.~+-]*$/, "must be a release version such as 1.7.22");
export const RuntimeVersions = z.object({ containerd: ReleaseVersion.optional(), runc: ReleaseVersion.optional(), "cni-plugins": ReleaseVersion.optional() }).strict();
export type RuntimeVersions = z.infer<typeof RuntimeVersions>;

/** A number of nodes, or a share of the run's nodes as Ansible writes it ("25%"). */
const CountOrPercent = (what: string, maxCount: number) => {
  const error = `${what} must be a whole number of nodes from 1 to ${maxCount}, or a percentage from "1%" to "100%"`;
  return z.union([z.number({ error }).int({ error }).min(1, { error }).max(maxCount, { error }), z.string({ error }).regex(/^(100|[1-9][0-9]?)%$/, { error })], { error });
};

/**
 * A rolling Apply (Ansible's `serial` and `max_fail_percentage`): the nodes run in batches,
 * one batch after the other; once `stopAfter` nodes have failed (counted over the whole run), no new
 * batch starts and the rest are recorded as not started. A percentage is of the run's nodes.
 */
export const Rolling = z
  .object({
    batch: CountOrPercent("the batch size", 1000),
    /** Default 1: the first failure stops the rollout. */
    stopAfter: CountOrPercent("the failure threshold", 1000).default(1),
    /**
     * A first "canary" batch that waits for an operator's Continue before the rest: true makes the first
     * batch (of `batch` nodes) the canary; a count or percentage gives the canary its own size.
     */
    canary: z.union([z.boolean({ error: "the canary must be true, false, a number of nodes or a percentage" }), CountOrPercent("the canary batch", 1000)], {
      error: "the canary must be true, false, a number of nodes or a percentage",
    }).optional(),
    /** Seconds to wait between batches (cancellable at once); 0: none. */
    pauseSeconds: z
      .number({ error: "the pause between batches must be a whole number of seconds from 0 to 3600" })
      .int({ error: "the pause between batches must be a whole number of seconds from 0 to 3600" })
      .min(0, { error: "the pause between batches must be a whole number of seconds from 0 to 3600" })
      .max(3600, { error: "the pause between batches must be a whole number of seconds from 0 to 3600" })
      .optional(),
  })
  .strict();
export type Rolling = z.input<typeof Rolling>;

/** A rolling run's settings resolved for its nodes: what the engine follows and the run record keeps. */
export const RolloutPlan = z.object({
  batch: z.union([z.number(), z.string()]),
  stopAfter: z.union([z.number(), z.string()]),
  batchSize: z.number().int().positive(),
  stopAfterFailures: z.number().int().positive(),
  batches: z.number().int().positive(),
  /** The first batch's size when it is a canary that waits for Continue; absent: no canary. */
  canarySize: z.number().int().positive().optional(),
  /** Seconds between batches; absent: none. */
  pauseSeconds: z.number().int().positive().optional(),
});
export type RolloutPlan = z.infer<typeof RolloutPlan>;

export const CreateRunBody = z
  .object({
    stepIds: z.array(StepId).min(1).max(50),
    nodeIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
    /** Groups to run on: every node in them and their children, with nodeIds, without repeats. */
    groupIds: z.array(z.uuid("must be a group id")).max(100).optional(),
    mode: RunMode,
    /** How release files reach the hosts (steps that install artifacts); default: from the dashboard's cache. */
    delivery: Delivery.optional(),
    /** A release version per component (from the release list); omitted: the release list's default. */
    versions: RuntimeVersions.optional(),
    /** Apply in batches with a failure threshold; omitted: every node at once. */
    rolling: Rolling.optional(),
  })
  .strict()
  .refine((b) => b.nodeIds.length > 0 || (b.groupIds?.length ?? 0) > 0, { message: "select at least one node or group", path: ["nodeIds"] })
  // A Check only reads: it runs on every node at once, so batches there would only hide a plan.
  .refine((b) => b.mode === "apply" || !b.rolling, { message: "only Apply runs roll out in batches; a Check reads every node at once", path: ["rolling"] });
export type CreateRunBody = z.input<typeof CreateRunBody>;

export const CreateRunAnswer = z.object({ runId: z.string() });

/**
 * A rolling run waiting between batches: for an operator's Continue after the canary batch, or for
 * its pause to end (`until`). The run is still running; nothing runs on any host meanwhile.
 */
export const RolloutWait = z.object({
  kind: z.enum(["canary", "pause"]),
  /** The batch that has ended (1-based), and how many there are. */
  afterBatch: z.number().int().positive(),
  of: z.number().int().positive(),
  /** "waiting for Continue after the canary batch: 2 of 2 nodes ok". */
  reason: z.string(),
  /** When the pause ends (ISO time); only for a pause. */
  until: z.string().optional(),
});
export type RolloutWait = z.infer<typeof RolloutWait>;

/** Continue a rolling run that waits after batch `afterBatch` (the one the operator saw: a stale page continues nothing). */
export const ContinueRunBody = z
  .object({ afterBatch: z.number({ error: "afterBatch must be the batch the run waits after" }).int().min(1).max(1000) })
  .strict();
export type ContinueRunBody = z.infer<typeof ContinueRunBody>;

export const RunNode = z.object({
  nodeId: z.string(),
  name: z.string(),
  status: NodeRunStatus,
  message: z.string().nullable(),
  /** The node's batch (1-based) in a rolling run; null otherwise. */
  batch: z.number().int().positive().nullable(),
});
export type RunNode = z.infer<typeof RunNode>;

export const RunSummary = z.object({
  id: z.string(),
  mode: RunMode,
  stepIds: z.array(StepId),
  status: RunStatus,
  actor: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  message: z.string().nullable(),
  /** The batch plan of a rolling run; null when every node ran at once. */
  rolling: RolloutPlan.nullable(),
  /** What a rolling run waits for between batches; null when it is not waiting. */
  waiting: RolloutWait.nullable(),
  nodes: z.array(RunNode),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunList = z.object({ runs: z.array(RunSummary) });
export type RunList = z.infer<typeof RunList>;

// ---- events (numbered per run, timestamped) ----

const Base = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  nodeId: z.string().nullable(),
  stepId: StepId.nullable(),
});

export const RunEvent = z.discriminatedUnion("type", [
  Base.extend({
    type: z.literal("run-started"),
    mode: RunMode,
    stepIds: z.array(StepId),
    nodes: z.array(z.object({ nodeId: z.string(), name: z.string(), batch: z.number().int().positive().optional() })),
    rolling: RolloutPlan.optional(),
  }),
  /** A rolling run starts its batch `batch` of `of`. */
  Base.extend({ type: z.literal("batch-started"), batch: z.number().int().positive(), of: z.number().int().positive(), nodeIds: z.array(z.string()) }),
  /** A rolling run waits between batches (canary: for Continue; pause: until `until`). */
  Base.extend({ type: z.literal("rollout-waiting"), wait: RolloutWait }),
  /** The wait ended: `by` pressed Continue (null: the pause ran out). */
  Base.extend({ type: z.literal("rollout-continued"), afterBatch: z.number().int().positive(), by: z.string().nullable() }),
  Base.extend({ type: z.literal("phase"), phase: Phase }),
  Base.extend({
    type: z.literal("facts"),
    hostname: z.string(),
    os: z.string(),
    kernel: z.string(),
    arch: z.string(),
    init: z.string(),
    cgroup: z.string(),
  }),
  Base.extend({
    type: z.literal("plan"),
    actions: z.array(PlannedAction),
    notes: z.array(z.string()),
  }),
  Base.extend({
    type: z.literal("command-started"),
    commandId: z.number().int(),
    phase: Phase,
    /** As run, secrets redacted. */
    command: z.string(),
  }),
  Base.extend({
    type: z.literal("output"),
    commandId: z.number().int(),
    stream: z.enum(["stdout", "stderr"]),
    line: z.string(),
  }),
  Base.extend({
    type: z.literal("command-finished"),
    commandId: z.number().int(),
    exitCode: z.number().int().nullable(),
    durationMs: z.number().int(),
  }),
  Base.extend({ type: z.literal("probe"), phase: z.enum(["requires", "verify"]), result: ProbeResult }),
  Base.extend({
    type: z.literal("step-end"),
    status: NodeRunStatus,
    message: z.string(),
    /** The step to run first when a requirement failed. */
    fixStepId: StepId.nullable(),
  }),
  Base.extend({ type: z.literal("node-end"), status: NodeRunStatus, message: z.string() }),
  Base.extend({ type: z.literal("run-end"), status: RunStatus, message: z.string() }),
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent["type"];

/** An event before it is numbered and stored. */
export type NewRunEvent = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, "seq" | "at"> : never) : never;

export const RunDetail = z.object({ run: RunSummary });
export type RunDetail = z.infer<typeof RunDetail>;

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled", "interrupted"];
