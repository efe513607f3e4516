import { z } from "zod";
import { ProbeResult, StepId, StepProgressState } from "./catalog";
import { HostFacts } from "./facts";
import { NodeRunStatus, RunMode } from "./runs";

// A node's report (GET /api/nodes/:id/report): where it stands on every wizard step, with the evidence.
// The wizard's ending shows it; `?format=md` is the same report as Markdown, to download and keep.

/** An audit log entry of one command run on this node for a step (its seq is the id to look up). */
export const ReportAuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  runId: z.string(),
  command: z.string(),
  exitCode: z.number().int().nullable(),
});
export type ReportAuditEntry = z.infer<typeof ReportAuditEntry>;

export const ReportChange = z.object({
  runId: z.string(),
  at: z.string(),
  actor: z.string().nullable(),
  /** What the plan said it would change, as the wizard showed it ("Create /etc/fstab", "Run swapoff -a"). */
  actions: z.array(z.object({ kind: z.string(), what: z.string(), reason: z.string() })),
});
export type ReportChange = z.infer<typeof ReportChange>;

export const ReportStep = z.object({
  stepId: StepId,
  title: z.string(),
  order: z.number().int().positive(),
  /** As in the wizard's step list. */
  state: StepProgressState,
  /** The latest run of this step on this node (cancelled and interrupted ones say nothing about the host). */
  lastRun: z.object({ runId: z.string(), mode: RunMode, status: NodeRunStatus, at: z.string() }).nullable(),
  /** That run's verification, every probe with its raw output (null when it never reached verify). */
  verification: z.array(ProbeResult).nullable(),
  /** The last apply that changed something for this step. */
  lastChange: ReportChange.nullable(),
  /** The commands of the last change and of the verification, as the audit log holds them. */
  audit: z.array(ReportAuditEntry),
});
export type ReportStep = z.infer<typeof ReportStep>;

export const NodeReport = z.object({
  generatedAt: z.string(),
  nodeprep: z.object({ version: z.string() }),
  node: z.object({ id: z.string(), name: z.string(), address: z.string(), port: z.number().int(), username: z.string() }),
  facts: HostFacts.nullable(),
  /** What is installed, from the facts (null: not installed or not known). */
  versions: z.object({
    os: z.string().nullable(),
    kernel: z.string().nullable(),
    containerd: z.string().nullable(),
    runc: z.string().nullable(),
    cniPlugins: z.string().nullable(),
    kubelet: z.string().nullable(),
  }),
  summary: z.object({
    /** Steps whose latest run applied or found nothing to do, and verified. */
    verified: z.number().int(),
    total: z.number().int(),
    ready: z.boolean(),
  }),
  steps: z.array(ReportStep),
});
export type NodeReport = z.infer<typeof NodeReport>;

export const ReportQuery = z.object({ format: z.enum(["json", "md"]).default("json") }).strict();
