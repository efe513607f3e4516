import { z } from "zod";
import { uuid } from "../validation";

// Practice nodes as the Practice page sees them: the lab's VMs, their state and the
// background operations (start, stop, reset) that change them.

export const PracticeOpKind = z.enum(["start", "stop", "reset"]);
export type PracticeOpKind = z.infer<typeof PracticeOpKind>;
export const PracticeOpStatus = z.enum(["running", "succeeded", "failed", "interrupted"]);
export type PracticeOpStatus = z.infer<typeof PracticeOpStatus>;

/** One phase of an operation as it happened ("restoring the snapshot", "waiting for SSH"). */
export const OpEvent = z.object({ at: z.string(), message: z.string() });
export type OpEvent = z.infer<typeof OpEvent>;

export const PracticeOp = z.object({
  id: z.string(),
  kind: PracticeOpKind,
  status: PracticeOpStatus,
  actor: z.string().nullable(),
  /** Why it ran when no one asked (e.g. "idle for 60 min"). */
  reason: z.string().nullable(),
  events: z.array(OpEvent),
  message: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type PracticeOp = z.infer<typeof PracticeOp>;

export const PracticeState = z.enum(["running", "stopped", "starting", "stopping", "resetting"]);
export type PracticeState = z.infer<typeof PracticeState>;

export const PracticeNodeView = z.object({
  /** The lab's node number (practice-<n>). */
  number: z.number().int(),
  name: z.string(),
  /** The node's id in the inventory (null: never registered, e.g. while its first start runs). */
  nodeId: z.string().nullable(),
  state: PracticeState,
  /** RAM the VM is given, and what its QEMU process holds right now (null when stopped). */
  memoryMiB: z.number().int(),
  residentMiB: z.number().int().nullable(),
  /** `prep@127.0.0.1 -p 2201` while running. */
  ssh: z.string().nullable(),
  /** The trainee it is assigned to. */
  trainee: z.string().nullable(),
  lastActiveAt: z.string().nullable(),
  /** When the idle stop will stop it (running nodes, when idle stop is on). */
  idleStopAt: z.string().nullable(),
  /** The operation in progress, or the last one. */
  op: PracticeOp.nullable(),
  /** What the signed-in user may do to it. */
  can: z.object({ start: z.boolean(), stop: z.boolean(), reset: z.boolean() }),
});
export type PracticeNodeView = z.infer<typeof PracticeNodeView>;

export const PracticeLimits = z.object({
  running: z.number().int(),
  maxRunning: z.number().int(),
  /** The maximum comes from NODEPREP_PRACTICE_MAX_RUNNING, not from free memory. */
  overridden: z.boolean(),
  availableMiB: z.number().int(),
  perNodeMiB: z.number().int(),
  /** 0: idle nodes are never stopped. */
  idleStopMinutes: z.number().int(),
});
export type PracticeLimits = z.infer<typeof PracticeLimits>;

export const PracticeOverview = z.object({
  nodes: z.array(PracticeNodeView),
  limits: PracticeLimits,
  /** The practice-node image is built (without it nothing can start). */
  imageReady: z.boolean(),
  /** May the signed-in user add practice nodes? */
  canAdd: z.boolean(),
});
export type PracticeOverview = z.infer<typeof PracticeOverview>;

export const PracticeActionBody = z.object({ action: PracticeOpKind }).strict();
export type PracticeActionBody = z.infer<typeof PracticeActionBody>;

export const PracticeNodeParams = z.object({ nodeId: uuid });

export const OpAnswer = z.object({ opId: z.string(), number: z.number().int() });
export type OpAnswer = z.infer<typeof OpAnswer>;
