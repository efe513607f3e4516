import { z } from "zod";
import { ArtifactDest, ArtifactId } from "./artifacts";

// The wizard's catalog as the browser (and any API client) sees it: steps, their probes, and what a
// probe found. Steps and probes themselves are data on the server (server/catalog); these are their
// serialisable shapes.

export const StepId = z.string().max(64, "at most 64 characters").regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "step ids are kebab-case");
export const ProbeId = StepId;

export const ProbeStatus = z.enum(["ok", "warn", "fail", "unknown"]);
export type ProbeStatus = z.infer<typeof ProbeStatus>;

/** One value a probe judged (e.g. one sysctl): a probe may judge several, each with its own verdict. */
export const ProbeCheck = z.object({
  name: z.string(),
  status: ProbeStatus,
  observed: z.string(),
  expected: z.string(),
});
export type ProbeCheck = z.infer<typeof ProbeCheck>;

/**
 * What a probe found, as values (a version, whether a package owns a binary, a unit file's path...):
 * what plans, scenarios and the health view read. Each probe declares its own zod schema for it, beside
 * the probe (server/catalog/probes); code reads it through that schema (dataOf in server/catalog/data.ts).
 * The strings of a verdict (observed, expected, detail, the checks) are for people: no code decides
 * anything by matching them.
 */
export const ProbeData = z.record(z.string(), z.unknown());
export type ProbeData = z.infer<typeof ProbeData>;

/** What a probe's parser concludes from the output. */
export const ProbeVerdict = z.object({
  status: ProbeStatus,
  observed: z.string(),
  expected: z.string(),
  detail: z.string(),
  checks: z.array(ProbeCheck).default([]),
  /** null: the host did not answer, or gave nothing to read values from. Absent in results stored before it existed. */
  data: ProbeData.nullable().default(null),
});
export type ProbeVerdict = z.infer<typeof ProbeVerdict>;

/** A command as it ran on the host and what it printed (stdout and stderr interleaved, as in a terminal). */
export const RawOutput = z.object({
  command: z.string(),
  output: z.string(),
  exitCode: z.number().int().nullable(),
  /** What the output depends on, as read (with shell builtins) in the same round trip. */
  inputs: z.string().optional(),
  /** Only when the command did not run this time (its inputs were unchanged): when this output was produced. */
  ranAt: z.string().optional(),
  /** The command as a person would type it, when what nodeprep runs wraps it (a socket check around `ctr`). */
  shown: z.string().optional(),
  /** nodeprep's own helper (a lookup loop, a timestamp), not a command a person would type: shown under "how nodeprep checked". */
  helper: z.boolean().optional(),
});
export type RawOutput = z.infer<typeof RawOutput>;

export const ProbeResult = ProbeVerdict.extend({
  probeId: ProbeId,
  title: z.string(),
  raw: z.array(RawOutput),
  /** The wizard step that makes this probe pass, for "fix it" links. */
  fixStepId: StepId.nullable(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/** A planned change, rendered: exactly the command the engine will run, and a diff for files. */
const ActionBase = z.object({
  /** Why this is needed on this host ("the file is missing", "overlay is not loaded"). */
  reason: z.string(),
  /** The command line the engine runs, as shown in the log (values quoted by the one helper). */
  command: z.string(),
  /** A copy-pasteable shell equivalent (files as here-documents). */
  script: z.string(),
});

export const PlannedAction = z.discriminatedUnion("kind", [
  ActionBase.extend({
    kind: z.literal("write-file"),
    path: z.string(),
    /** Octal, e.g. "644". */
    mode: z.string(),
    content: z.string(),
    previous: z.object({ exists: z.boolean(), mode: z.string().nullable(), content: z.string().nullable() }),
    /** Unified diff from the current file (or /dev/null) to the new content. */
    diff: z.string(),
  }),
  ActionBase.extend({ kind: z.literal("run-command"), argv: z.array(z.string()).min(1) }),
  ActionBase.extend({ kind: z.literal("enable-unit"), unit: z.string(), now: z.boolean() }),
  ActionBase.extend({
    kind: z.literal("upload-artifact"),
    artifactId: ArtifactId,
    sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    dest: ArtifactDest,
  }),
]);
export type PlannedAction = z.infer<typeof PlannedAction>;

export const StepSummary = z.object({
  id: StepId,
  title: z.string(),
  /** One line for the step list. */
  summary: z.string(),
  /** 1-based position in the wizard. */
  order: z.number().int().positive(),
  requires: z.array(z.object({ probeId: ProbeId, title: z.string(), fixStepId: StepId.nullable() })),
  verify: z.array(z.object({ probeId: ProbeId, title: z.string(), commands: z.array(z.string()) })),
  /** Markdown from content/<id>.md. */
  explanation: z.string(),
  /** The release this step installs, whose version the operator may pick (null: none). */
  installs: z.enum(["containerd", "runc", "cni-plugins"]).nullable(),
});
export type StepSummary = z.infer<typeof StepSummary>;

export const Catalog = z.object({ steps: z.array(StepSummary) });
export type Catalog = z.infer<typeof Catalog>;

/** Where a node stands on a step, from its runs: the wizard's step list shows this per node (blocked: a step before it is needed first). */
export const StepProgressState = z.enum(["not-started", "planned", "blocked", "done", "failed", "drift"]);
export type StepProgressState = z.infer<typeof StepProgressState>;

export const StepProgress = z.object({
  stepId: StepId,
  nodeId: z.string(),
  state: StepProgressState,
  runId: z.string().nullable(),
  at: z.string().nullable(),
});
export type StepProgress = z.infer<typeof StepProgress>;

export const ProgressList = z.object({ progress: z.array(StepProgress) });
export type ProgressList = z.infer<typeof ProgressList>;
