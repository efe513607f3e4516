import "server-only";
import type { SessionUser } from "@/lib/contracts/auth";
import type { AttemptView, ScenarioCard, ScenarioProgress } from "@/lib/contracts/training";
import { getUser } from "../auth/users";
import { getProbe, getStep } from "../catalog";
import { renderMarkdown } from "../content/markdown";
import type { Db } from "../db";
import type { Attempt } from "./attempts";
import type { Scenario } from "./scenarios";

// What the training pages show of a scenario and an attempt: only the hints opened, the solution
// once viewed, and one trainee's progress from their attempts.

export function attemptViewOf(db: Db, attempt: Attempt, scenario: Scenario, viewer?: SessionUser): AttemptView {
  return {
    id: attempt.id,
    scenarioId: attempt.scenarioId,
    user: attempt.userId === viewer?.id ? viewer.name : (getUser(db, attempt.userId)?.name ?? "(deleted)"),
    nodeId: attempt.nodeId,
    nodeName: attempt.nodeName,
    state: attempt.state,
    startedAt: attempt.startedAt,
    readyAt: attempt.readyAt,
    passedAt: attempt.passedAt,
    hintsOpened: attempt.hintsOpened,
    hints: scenario.hints.slice(0, attempt.hintsOpened).map(renderMarkdown),
    hintCount: scenario.hints.length,
    solutionViewed: attempt.solutionViewed,
    solution: attempt.solutionViewed
      ? {
          html: renderMarkdown(scenario.solutionText),
          steps: scenario.solution.steps.map((id) => ({ id, title: getStep(id)?.title ?? id })),
          commands: scenario.solution.commands,
        }
      : null,
    checks: attempt.checks,
    op: attempt.op,
    lastCheck: attempt.lastCheck,
  };
}

export function scenarioCard(s: Scenario, progress: ScenarioProgress): ScenarioCard {
  return {
    id: s.id,
    number: s.number,
    title: s.title,
    summary: s.summary,
    base: s.base,
    objectives: s.objectives.map((o) => ({ probeId: o.probe, title: getProbe(o.probe).title, afterReboot: o.afterReboot })),
    hintCount: s.hints.length,
    progress,
  };
}

/** One trainee on one scenario, from their attempts (oldest first). */
export function progressOf(attempts: readonly Attempt[]): ScenarioProgress {
  const passed = attempts.find((a) => a.passedAt !== null);
  const lastChecked = [...attempts].reverse().find((a) => a.lastCheck !== null) ?? null;
  return {
    status: passed ? "passed" : attempts.length ? "in-progress" : "not-started",
    attempts: attempts.length,
    checks: attempts.reduce((n, a) => n + a.checks, 0),
    hintsOpened: attempts.reduce((n, a) => Math.max(n, a.hintsOpened), 0),
    solutionViewed: attempts.some((a) => a.solutionViewed),
    timeMs: passed?.readyAt && passed.passedAt ? Date.parse(passed.passedAt) - Date.parse(passed.readyAt) : null,
    lastCheckAt: lastChecked?.lastCheckAt ?? null,
    lastVerdicts: lastChecked?.lastCheck ? lastChecked.lastCheck.objectives.map((o) => ({ probeId: o.probeId, title: o.title, passed: o.passed })) : null,
    lastAttemptId: attempts.at(-1)?.id ?? null,
  };
}
