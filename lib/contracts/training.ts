import { z } from "zod";
import { kebabId, newPassword, userName, uuid } from "../validation";
import { ProbeId, ProbeResult, StepId } from "./catalog";
import { OpEvent } from "./practice";

// Training: scenarios (a fault on a practice node, graded
// by catalog probes), attempts at them, trainees with their practice node, progress, self-checks.

export const ScenarioId = kebabId;

export const ObjectiveView = z.object({
  probeId: ProbeId,
  title: z.string(),
  /** Checked again after the grader reboots the node (once everything passes live). */
  afterReboot: z.boolean(),
});
export type ObjectiveView = z.infer<typeof ObjectiveView>;

export const ProgressStatus = z.enum(["not-started", "in-progress", "passed"]);
export type ProgressStatus = z.infer<typeof ProgressStatus>;

export const Verdict = z.object({ probeId: ProbeId, title: z.string(), passed: z.boolean() });
export type Verdict = z.infer<typeof Verdict>;

/** One trainee on one scenario, over all their attempts. */
export const ScenarioProgress = z.object({
  status: ProgressStatus,
  attempts: z.number().int(),
  checks: z.number().int(),
  hintsOpened: z.number().int(),
  solutionViewed: z.boolean(),
  /** From "ready to work" to "passed" in the attempt that passed first. */
  timeMs: z.number().int().nullable(),
  lastCheckAt: z.string().nullable(),
  /** The verdicts of the last check, objective by objective. */
  lastVerdicts: z.array(Verdict).nullable(),
  lastAttemptId: z.string().nullable(),
});
export type ScenarioProgress = z.infer<typeof ScenarioProgress>;

export const ScenarioCard = z.object({
  id: ScenarioId,
  number: z.number().int(),
  title: z.string(),
  summary: z.string(),
  /** fresh: a node straight from the snapshot; runtime: every wizard step applied first. */
  base: z.enum(["fresh", "runtime"]),
  objectives: z.array(ObjectiveView),
  hintCount: z.number().int(),
  /** The signed-in user's own progress. */
  progress: ScenarioProgress,
});
export type ScenarioCard = z.infer<typeof ScenarioCard>;

export const ScenarioList = z.object({ scenarios: z.array(ScenarioCard) });

export const ObjectiveResult = ObjectiveView.extend({
  passed: z.boolean(),
  /** This verdict was read after the grader rebooted the node. */
  checkedAfterReboot: z.boolean(),
  result: ProbeResult,
});
export type ObjectiveResult = z.infer<typeof ObjectiveResult>;

/** One grading: every objective's probe with its raw output, as the wizard's verification shows it. */
export const Grade = z.object({
  at: z.string(),
  passed: z.boolean(),
  rebooted: z.boolean(),
  objectives: z.array(ObjectiveResult),
  summary: z.string(),
});
export type Grade = z.infer<typeof Grade>;

export const AttemptState = z.enum(["preparing", "ready", "passed", "failed-to-start", "abandoned"]);
export type AttemptState = z.infer<typeof AttemptState>;

/** Starting (reset + fault + first check) or checking (maybe with a reboot) runs in the background. */
export const AttemptOp = z.object({
  kind: z.enum(["start", "check"]),
  status: z.enum(["running", "succeeded", "failed"]),
  events: z.array(OpEvent),
  message: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type AttemptOp = z.infer<typeof AttemptOp>;

export const SolutionView = z.object({
  html: z.string(),
  /** Wizard steps that fix it (Apply them), then root commands. */
  steps: z.array(z.object({ id: StepId, title: z.string() })),
  commands: z.array(z.string()),
});
export type SolutionView = z.infer<typeof SolutionView>;

export const AttemptView = z.object({
  id: z.string(),
  scenarioId: ScenarioId,
  user: z.string(),
  nodeId: z.string(),
  nodeName: z.string(),
  state: AttemptState,
  startedAt: z.string(),
  readyAt: z.string().nullable(),
  passedAt: z.string().nullable(),
  hintsOpened: z.number().int(),
  /** The hints opened so far, in order (Markdown rendered on the server: project content). */
  hints: z.array(z.string()),
  hintCount: z.number().int(),
  solutionViewed: z.boolean(),
  solution: SolutionView.nullable(),
  checks: z.number().int(),
  op: AttemptOp.nullable(),
  lastCheck: Grade.nullable(),
});
export type AttemptView = z.infer<typeof AttemptView>;

export const ScenarioDetail = z.object({
  scenario: ScenarioCard.extend({ introHtml: z.string() }),
  /** The signed-in user's latest attempt at it. */
  attempt: AttemptView.nullable(),
  /** Where the user would start it: their practice node (a trainee), or null. */
  node: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ScenarioDetail = z.infer<typeof ScenarioDetail>;

export const ScenarioParams = z.object({ scenarioId: ScenarioId });
export const AttemptParams = z.object({ attemptId: uuid });
export const StartAttemptBody = z.object({ nodeId: uuid.optional() }).strict();
export type StartAttemptBody = z.infer<typeof StartAttemptBody>;
export const AttemptAnswer = z.object({ attemptId: z.string() });

// ---- trainees ----

export const TraineeView = z.object({
  id: z.string(),
  name: z.string(),
  disabled: z.boolean(),
  node: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type TraineeView = z.infer<typeof TraineeView>;

export const TraineeList = z.object({ trainees: z.array(TraineeView) });

/** A practice node by id, "auto" (a free one, or a new one started for them), or none. */
export const NodeChoice = z.union([uuid, z.literal("auto")]).nullable();

export const CreateTraineeBody = z.object({ name: userName, password: newPassword, node: NodeChoice.default("auto") }).strict();
export type CreateTraineeBody = z.input<typeof CreateTraineeBody>;

export const AssignNodeBody = z.object({ node: NodeChoice }).strict();
export type AssignNodeBody = z.infer<typeof AssignNodeBody>;

export const TraineeAnswer = z.object({
  trainee: TraineeView,
  /** A practice node being started for them (auto, when none was free). */
  starting: z.object({ opId: z.string(), name: z.string() }).nullable(),
});
export type TraineeAnswer = z.infer<typeof TraineeAnswer>;

export const TraineeParams = z.object({ userId: uuid });

// ---- self-checks ----

export const SelfCheckQuestion = z.object({ id: z.string(), text: z.string(), choices: z.array(z.string()) });
export type SelfCheckQuestion = z.infer<typeof SelfCheckQuestion>;

export const SelfCheckOutcome = z.object({
  questionId: z.string(),
  chosen: z.number().int(),
  correctChoice: z.number().int(),
  correct: z.boolean(),
  /** Why the chosen answer is right or wrong, and why the right one is right. */
  explanation: z.string(),
  correctExplanation: z.string(),
});
export type SelfCheckOutcome = z.infer<typeof SelfCheckOutcome>;

export const SelfCheckResult = z.object({
  checkId: z.string(),
  correct: z.number().int(),
  total: z.number().int(),
  answeredAt: z.string(),
  outcomes: z.array(SelfCheckOutcome),
});
export type SelfCheckResult = z.infer<typeof SelfCheckResult>;

export const SelfCheckView = z.object({
  id: z.string(),
  title: z.string(),
  questions: z.array(SelfCheckQuestion),
  /** The signed-in user's last answers, judged. */
  last: SelfCheckResult.nullable(),
});
export type SelfCheckView = z.infer<typeof SelfCheckView>;

export const SelfCheckParams = z.object({ checkId: kebabId });
export const SelfCheckAnswerBody = z
  .object({ answers: z.record(z.string().max(32).regex(/^[a-z0-9-]+$/, "question ids are kebab-case"), z.number().int().min(0).max(9)) })
  .strict();
export type SelfCheckAnswerBody = z.infer<typeof SelfCheckAnswerBody>;

export const SelfCheckProgress = z.object({ correct: z.number().int(), total: z.number().int(), answeredAt: z.string(), submissions: z.number().int() });
export type SelfCheckProgress = z.infer<typeof SelfCheckProgress>;

// ---- the trainer's table ----

export const ProgressTable = z.object({
  scenarios: z.array(z.object({ id: ScenarioId, number: z.number().int(), title: z.string() })),
  selfChecks: z.array(z.object({ id: z.string(), title: z.string() })),
  trainees: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      node: z.string().nullable(),
      scenarios: z.record(z.string(), ScenarioProgress),
      selfChecks: z.record(z.string(), SelfCheckProgress.nullable()),
    }),
  ),
});
export type ProgressTable = z.infer<typeof ProgressTable>;

export const ExportQuery = z.object({ format: z.enum(["csv"]) }).strict();
