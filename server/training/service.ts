import "server-only";
import { hasRole, type SessionUser } from "@/lib/contracts/auth";
import type { AttemptOp, AttemptView, Grade, ScenarioCard } from "@/lib/contracts/training";
import { assignedNodeIds } from "../auth/assignments";
import { steps } from "../catalog";
import { renderMarkdown } from "../content/markdown";
import type { Db } from "../db";
import { badRequest, conflict, AppError, notFound } from "../errors";
import { getNode } from "../nodes/repository";
import { lockNode } from "../practice/locks";
import { PRACTICE_NAME, type PracticeService } from "../practice/service";
import { createAttempt, getAttempt, latestAttempt, listAttempts, openHint, recordGrade, setOp, setState, viewSolution, type Attempt } from "./attempts";
import { FAULT_MARKER, failedFaultCommand, faultScript } from "./fault";
import { grade } from "./grader";
import type { TrainingHost } from "./host";
import { getScenario, scenarios, type Scenario } from "./scenarios";
import { attemptViewOf, progressOf, scenarioCard } from "./views";

// Scenarios on practice nodes: start (reset the node, install the runtime when the scenario
// needs it, inject the fault, first check), check (grade, with a reboot where the scenario says so),
// hints one at a time and the solution, each counted in the trainee's progress. Starting and checking
// take seconds to a minute: they run in the background and the page follows the attempt's phases.

export interface TrainingDeps {
  db: Db;
  practice: PracticeService;
  host: (nodeId: string, actor: string) => TrainingHost;
  /** Apply wizard steps to a node through the run engine (a real run, in the runs list). */
  applySteps: (stepIds: readonly string[], nodeId: string, actor: string) => Promise<{ ok: boolean; message: string }>;
  /**
   * The lab base with the runtime installed by every wizard step: made once (on the first runtime
   * scenario), then every runtime scenario restores it in seconds. Named per server process, so a
   * base always comes from the catalog this process runs.
   */
  runtimeBase: string;
  now?: () => Date;
}

export function createTrainingService(deps: TrainingDeps) {
  const { db } = deps;
  const now = () => deps.now?.() ?? new Date();
  /** The runtime base being made (by whichever scenario start needed it first). */
  let making: Promise<void> | null = null;

  function requireScenario(id: string): Scenario {
    const s = getScenario(id);
    if (!s) throw notFound(`scenario ${id}`);
    return s;
  }

  /** The practice node this user works on: a trainee's own, or (trainers) the one they name. */
  function nodeFor(user: SessionUser, nodeId: string | undefined) {
    if (user.role === "trainee") {
      const mine = assignedNodeIds(db, user.id);
      if (mine.length === 0) throw conflict("no practice node is assigned to you yet: ask your trainer");
      if (nodeId && !mine.includes(nodeId)) throw new AppError("forbidden", "this node is not a practice node assigned to you");
      return getNode(db, nodeId ?? mine[0])!;
    }
    if (!hasRole(user.role, "trainer")) throw new AppError("forbidden", `scenarios run on a trainee's practice node: they need the trainee or trainer role; you are ${user.role}`);
    if (!nodeId) throw badRequest("nodeId: name the practice node to set the scenario up on", "nodeId");
    const node = getNode(db, nodeId);
    if (!node?.practice || !PRACTICE_NAME.test(node.name)) throw badRequest(`nodeId: ${node ? node.name : nodeId} is not a practice node`, "nodeId");
    return node;
  }

  function requireAttemptAccess(user: SessionUser, attemptId: string): Attempt {
    const attempt = getAttempt(db, attemptId);
    if (!attempt || (attempt.userId !== user.id && !hasRole(user.role, "trainer"))) {
      if (user.role === "trainee" || !hasRole(user.role, "trainer")) throw new AppError("forbidden", "this is not an attempt of yours");
      throw notFound(`attempt ${attemptId}`);
    }
    return attempt;
  }

  /** Run `work` as the attempt's background operation, its phases recorded as they happen. */
  function background(attemptId: string, kind: AttemptOp["kind"], release: () => void, work: (event: (m: string) => void) => Promise<string>): Promise<void> {
    const op: AttemptOp = { kind, status: "running", events: [], message: null, startedAt: now().toISOString(), finishedAt: null };
    setOp(db, attemptId, op);
    const event = (message: string) => {
      op.events.push({ at: now().toISOString(), message });
      setOp(db, attemptId, op);
    };
    return (async () => {
      try {
        op.message = await work(event);
        op.status = "succeeded";
      } catch (error) {
        op.message = (error as Error).message;
        op.status = "failed";
        if (kind === "start") setState(db, attemptId, "failed-to-start");
      } finally {
        op.finishedAt = now().toISOString();
        setOp(db, attemptId, op);
        release();
      }
    })();
  }

  /** Reset the node, build the scenario's base, break it, check it once. 202 at once; `done` follows. */
  function start(user: SessionUser, scenarioId: string, nodeId?: string) {
    const scenario = requireScenario(scenarioId);
    const node = nodeFor(user, nodeId);
    const n = Number(PRACTICE_NAME.exec(node.name)![1]);
    const release = lockNode(n, node.name, `setting up scenario ${scenario.number}`, user.name, { db, nodeId: node.id });
    let attemptId: string;
    try {
      if (!deps.practice.isRunning(n)) deps.practice.requireRoom(node.name);
      attemptId = createAttempt(db, {
        userId: user.id,
        scenarioId,
        nodeId: node.id,
        nodeName: node.name,
        op: { kind: "start", status: "running", events: [], message: null, startedAt: now().toISOString(), finishedAt: null },
      });
    } catch (error) {
      release();
      throw error;
    }
    deps.practice.touch(node.id);
    const done = background(attemptId, "start", release, async (event) => {
      const reason = `scenario ${scenario.number}`;
      const reset = async (base?: string) => {
        event(base ? `resetting ${node.name} to the node with the runtime installed (saved base)` : `resetting ${node.name} from its snapshot`);
        const r = await deps.practice.perform(n, "reset", user.name, { reason, onEvent: event, base });
        if (!r.ok) throw new Error(r.message);
      };
      if (scenario.base === "runtime") {
        if (!deps.practice.hasBase(deps.runtimeBase) && making) {
          event("waiting for another scenario that is installing the runtime for everyone");
          await making.catch(() => undefined);
        }
        if (deps.practice.hasBase(deps.runtimeBase)) await reset(deps.runtimeBase);
        else {
          making = makeRuntimeBase(n, node.id, user.name, event, reset);
          try {
            await making;
          } finally {
            making = null;
          }
        }
      } else await reset();
      const host = deps.host(node.id, user.name);
      event(`breaking it: ${scenario.fault.length} command${scenario.fault.length === 1 ? "" : "s"} as root`);
      const r = await host.runRoot(faultScript(scenario.fault), `scenario ${scenario.id}: fault`);
      if (r.code !== 0) {
        const failed = failedFaultCommand(r.output);
        const command = failed ? scenario.fault[failed.index] : "the fault";
        const said = r.output.replace(FAULT_MARKER, "").trim().split("\n").slice(-3).join(" / ");
        throw new Error(`the scenario's fault failed (exit ${failed?.code ?? r.code}): ${command}: ${said}`);
      }
      event("first check of the objectives");
      const first = await grade(scenario, host, { reboot: "never", onProgress: event, now });
      recordGrade(db, attemptId, first, false);
      // A fault that leaves a live objective passing would be a scenario nobody can learn from.
      const untouched = first.objectives.filter((o) => o.passed && !o.afterReboot);
      if (untouched.length) throw new Error(`the fault did not break ${untouched.map((o) => o.title).join(", ")}: this scenario is broken on this node (tell your trainer)`);
      setState(db, attemptId, "ready", { readyAt: now().toISOString() });
      deps.practice.touch(node.id);
      return `ready: ${first.objectives.filter((o) => !o.passed).length || first.objectives.length} objective${first.objectives.length === 1 ? "" : "s"} to put right`;
    });
    return { attemptId, done };
  }

  /** Install the runtime with every wizard step on a fresh node n, save it as the runtime base, start n from it. */
  async function makeRuntimeBase(n: number, nodeId: string, actor: string, event: (m: string) => void, reset: (base?: string) => Promise<void>) {
    await reset();
    event("installing the container runtime: every wizard step, applied (once; later scenarios start from the result)");
    const applied = await deps.applySteps(steps.map((s) => s.id), nodeId, actor);
    if (!applied.ok) throw new Error(`installing the runtime failed: ${applied.message}`);
    await deps.practice.saveBase(n, deps.runtimeBase, event);
    const started = await deps.practice.perform(n, "start", actor, { reason: "scenario: from the runtime base", onEvent: event, base: deps.runtimeBase });
    if (!started.ok) throw new Error(started.message);
  }

  /** The trainee's "Check my work": grade, with the reboot where the scenario needs it. */
  function check(user: SessionUser, attemptId: string) {
    const attempt = requireAttemptAccess(user, attemptId);
    const scenario = requireScenario(attempt.scenarioId);
    if (attempt.state === "preparing") throw conflict("the scenario is still being set up: wait until it is ready");
    if (attempt.state === "failed-to-start" || attempt.state === "abandoned") throw conflict(`this attempt is ${attempt.state}: start the scenario again`);
    const n = Number(PRACTICE_NAME.exec(attempt.nodeName)?.[1] ?? NaN);
    const release = lockNode(n, attempt.nodeName, `checking scenario ${scenario.number}`, user.name, { db, nodeId: attempt.nodeId });
    deps.practice.touch(attempt.nodeId);
    const done = background(attemptId, "check", release, async (event) => {
      const result: Grade = await grade(scenario, deps.host(attempt.nodeId, user.name), { reboot: "when-all-pass", onProgress: event, now });
      recordGrade(db, attemptId, result, true);
      if (result.passed && attempt.state !== "passed") setState(db, attemptId, "passed", { passedAt: result.at });
      deps.practice.touch(attempt.nodeId);
      return result.summary;
    });
    return { attemptId, done };
  }

  function hint(user: SessionUser, attemptId: string): AttemptView {
    const attempt = requireAttemptAccess(user, attemptId);
    const scenario = requireScenario(attempt.scenarioId);
    if (attempt.hintsOpened >= scenario.hints.length) throw conflict("every hint is already open");
    openHint(db, attemptId, scenario.hints.length);
    return view(getAttempt(db, attemptId)!, user);
  }

  function solution(user: SessionUser, attemptId: string): AttemptView {
    requireAttemptAccess(user, attemptId);
    viewSolution(db, attemptId);
    return view(getAttempt(db, attemptId)!, user);
  }


  function view(attempt: Attempt, viewer?: SessionUser): AttemptView {
    return attemptViewOf(db, attempt, requireScenario(attempt.scenarioId), viewer);
  }

  function attemptView(user: SessionUser, attemptId: string): AttemptView {
    return view(requireAttemptAccess(user, attemptId), user);
  }


  function list(user: SessionUser): ScenarioCard[] {
    const mine = listAttempts(db, [user.id]);
    return scenarios().map((s) => scenarioCard(s, progressOf(mine.filter((a) => a.scenarioId === s.id))));
  }

  function detail(user: SessionUser, scenarioId: string) {
    const s = requireScenario(scenarioId);
    const attempt = latestAttempt(db, user.id, scenarioId);
    const mine = user.role === "trainee" ? assignedNodeIds(db, user.id)[0] : undefined;
    const node = mine ? getNode(db, mine) : null;
    return {
      scenario: { ...scenarioCard(s, progressOf(listAttempts(db, [user.id]).filter((a) => a.scenarioId === scenarioId))), introHtml: renderMarkdown(s.intro) },
      attempt: attempt ? view(attempt, user) : null,
      node: node ? { id: node.id, name: node.name } : null,
    };
  }

  return { start, check, hint, solution, attemptView, list, detail };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
