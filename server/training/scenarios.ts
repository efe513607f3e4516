import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ProbeId, ProbeStatus, StepId } from "@/lib/contracts/catalog";
import { kebabId } from "@/lib/validation";
import { getStep, probes } from "../catalog";

// Training scenarios are data: content/scenarios/<id>/ holds
//   scenario.json  the typed definition below: the fault (root commands run on a freshly reset practice
//                  node), the objectives (catalog probes that must pass, optionally after a reboot) and
//                  the solution (wizard steps to apply, then root commands: what the integration test
//                  applies, so a solution that does not fix it fails there);
//   intro.md       the situation, as a colleague would report it;
//   hints/NN.md    revealed one at a time;
//   solution.md    the explanation shown with the solution's steps and commands.
// Every scenario is checked against the catalog when it loads: an unknown probe or step is an error
// naming the file, not a scenario that can never pass.

export const Objective = z
  .object({
    probe: ProbeId,
    /** Checked again after the grader reboots the node (once everything passes live). */
    afterReboot: z.boolean().default(false),
    /**
     * What the fault does to this probe: its status right after the fault (after a reboot when
     * afterReboot), and the checks of it that are then not ok. The integration test holds every
     * scenario to this, and a start whose fault did not take is refused.
     */
    broken: z.object({ status: ProbeStatus.exclude(["ok", "unknown"]), checks: z.array(z.string()).default([]) }).strict(),
  })
  .strict();
export type Objective = z.infer<typeof Objective>;

export const ScenarioFile = z
  .object({
    number: z.number().int().min(1).max(99),
    title: z.string().min(1).max(120),
    summary: z.string().min(1).max(300),
    /** fresh: the node as the snapshot has it; runtime: every wizard step applied before the fault. */
    base: z.enum(["fresh", "runtime"]),
    fault: z.array(z.string().min(1).max(4000)).min(1).max(20),
    objectives: z.array(Objective).min(1).max(10),
    solution: z
      .object({ steps: z.array(StepId).default([]), commands: z.array(z.string().min(1).max(4000)).default([]) })
      .strict()
      .refine((s) => s.steps.length + s.commands.length > 0, "a solution applies a step or runs a command"),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioFile> & {
  id: string;
  intro: string;
  hints: string[];
  solutionText: string;
};

const scenariosDir = () => path.join(process.cwd(), "content", "scenarios");

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`${path.relative(process.cwd(), file)} is missing`);
  }
}

export function loadScenario(dir: string): Scenario {
  const id = path.basename(dir);
  const where = path.relative(process.cwd(), dir);
  if (!kebabId.safeParse(id).success) throw new Error(`${where}: a scenario folder is named with a kebab-case id`);
  let raw: unknown;
  try {
    raw = JSON.parse(readText(path.join(dir, "scenario.json")));
  } catch (error) {
    throw new Error(`${where}/scenario.json: ${(error as Error).message}`);
  }
  const parsed = ScenarioFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}/scenario.json: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const def = parsed.data;
  for (const o of def.objectives) if (!probes.has(o.probe)) throw new Error(`${where}/scenario.json: objective ${o.probe} is not a catalog probe`);
  for (const s of def.solution.steps) if (!getStep(s)) throw new Error(`${where}/scenario.json: solution step ${s} is not a wizard step`);
  const hintsDir = path.join(dir, "hints");
  const hintFiles = fs.existsSync(hintsDir) ? fs.readdirSync(hintsDir).filter((f) => /^\d+\.md$/.test(f)).sort() : [];
  if (hintFiles.length === 0) throw new Error(`${where}/hints/: at least one hint (01.md, 02.md, ...)`);
  return {
    ...def,
    id,
    intro: readText(path.join(dir, "intro.md")),
    hints: hintFiles.map((f) => readText(path.join(hintsDir, f))),
    solutionText: readText(path.join(dir, "solution.md")),
  };
}

let cache: { dir: string; scenarios: Scenario[] } | null = null;

/** Every scenario, by number. Read once per process (content is part of the release). */
export function scenarios(): Scenario[] {
  const dir = scenariosDir();
  if (cache?.dir === dir) return cache.scenarios;
  const list = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => loadScenario(path.join(dir, e.name)))
    .sort((a, b) => a.number - b.number);
  const numbers = list.map((s) => s.number);
  const dup = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`content/scenarios: two scenarios are number ${dup}`);
  cache = { dir, scenarios: list };
  return list;
}

export function getScenario(id: string): Scenario | undefined {
  return scenarios().find((s) => s.id === id);
}
