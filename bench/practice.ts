// npm run bench -- practice [--reps 5]
//
// The training figure: from "start scenario" to "ready to work" (reset + the node's own identity + fault
// injected + first grading) on a practice node, through the dashboard's own training service (the lab
// CLI as the dashboard runs it, the pooled SSH layer, the catalog's probes, SQLite). Median of N.
// Target: under 10 s on this machine.
//
// Two scenarios: 3 (a fresh node: reset from the golden snapshot) and 9 (a node with the container
// runtime: reset from the runtime base). The base is made once by the first runtime start (every
// wizard step applied, then saved): that cold start is reported on its own. Baseline, measured in the
// same run: the lab's own reset of the same node in-process (no CLI, no dashboard), the floor of any
// start; the ratio says what the dashboard adds on top.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { dropBases, ensureImage, resetNode } from "../lab";
import { arg, median, round, timed, writeResults } from "./lib";

type Phases = Record<string, number>;

/** Seconds between the attempt's phase events (reset, runtime, fault, first check). */
function phases(events: { at: string; message: string }[], startedAt: string, readyAt: string): Phases {
  const t = (iso: string) => Date.parse(iso);
  const at = (prefix: string) => events.find((e) => e.message.startsWith(prefix))?.at;
  const marks: [string, string | undefined][] = [
    ["reset and identity", at("breaking it")],
    ["fault", at("first check")],
    ["first check", readyAt],
  ];
  const out: Phases = {};
  let from = t(startedAt);
  for (const [name, iso] of marks) {
    if (!iso) continue;
    out[name] = round((t(iso) - from) / 1000, 2);
    from = t(iso);
  }
  return out;
}

export async function main(args: string[]) {
  const reps = Number(arg(args, "--reps") ?? 5);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "np-bench-practice-"));
  process.env.NODEPREP_DATA_DIR = path.join(root, "data");
  process.env.NODEPREP_LAB_STATE = path.join(root, "lab");
  process.env.NODEPREP_PRACTICE_IDLE_MINUTES = "0";
  process.env.NODEPREP_LOCAL_RELEASES = (await ensureImage()).artifactsDir;
  const { practice } = await import("../server/practice");
  const { training } = await import("../server/training");
  const { traineeWithPracticeNode } = await import("../server/training/testing");
  const { closeAllConnections } = await import("../server/ssh");
  const { trainee, node } = await traineeWithPracticeNode("bench");
  const n = Number(node.name.replace("practice-", ""));

  async function start(scenarioId: string) {
    const t0 = performance.now();
    const { attemptId, done } = training().start(trainee, scenarioId);
    await done;
    const ms = performance.now() - t0;
    const a = training().attemptView(trainee, attemptId);
    if (a.state !== "ready") throw new Error(`${scenarioId} did not get ready: ${a.op?.message}`);
    return { ms, phases: phases(a.op!.events, a.startedAt, a.readyAt!) };
  }

  try {
    const results: Record<string, unknown> = { reps, node: `practice-${n}` };
    // Baseline first: the lab's own reset of the node, in-process (then the dashboard resets it again anyway).
    const lab: number[] = [];
    for (let i = 0; i < reps; i++) lab.push(await timed(() => resetNode(n)));
    closeAllConnections();
    results.labResetMs = round(median(lab));

    for (const [label, scenarioId] of [
      ["fresh node (scenario 3)", "sysctl-overridden"],
      ["runtime installed (scenario 9)", "cni-loopback-missing"],
    ] as const) {
      if (scenarioId === "cni-loopback-missing") {
        const cold = await start(scenarioId);
        results.runtimeBaseMadeMs = round(cold.ms);
        console.log(`[bench] ${label}: the first start made the runtime base in ${round(cold.ms / 1000)} s (once per dashboard process)`);
      }
      const runs: { ms: number; phases: Phases }[] = [];
      for (let i = 0; i < reps; i++) runs.push(await start(scenarioId));
      const ms = median(runs.map((r) => r.ms));
      const byPhase = Object.fromEntries(Object.keys(runs[0].phases).map((k) => [k, median(runs.map((r) => r.phases[k] ?? 0))]));
      results[scenarioId] = { medianMs: round(ms), allMs: runs.map((r) => round(r.ms)), phasesMedianS: byPhase, ratioToLabReset: round(ms / (results.labResetMs as number), 2) };
      console.log(
        `[bench] ${label}: start -> ready median ${round(ms / 1000, 2)} s over ${reps} (${runs.map((r) => round(r.ms / 1000, 1)).join(", ")} s); ` +
          `${round(ms / (results.labResetMs as number), 2)}x the lab's bare reset (${round((results.labResetMs as number) / 1000, 2)} s); ` +
          `phases ${Object.entries(byPhase).map(([k, v]) => `${k} ${v} s`).join(", ")}; target < 10 s: ${ms < 10_000 ? "met" : "NOT met"}`,
      );
    }
    writeResults("practice", results);
  } finally {
    closeAllConnections();
    await practice().perform(n, "stop", "bench").catch(() => undefined);
    dropBases();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
