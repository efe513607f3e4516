import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProbeResult } from "@/lib/contracts/catalog";
import { ProbeResult as ProbeResultSchema } from "@/lib/contracts/catalog";
import { dataOf } from "./data";
import { hostStates, type HostState } from "./fixtures/host-states";
import { probes, steps } from "./index";
import type { Observed, Probe, Step, Verdict } from "./types";

// Plans read what probes found through each probe's typed data, never through the words it shows
// people. So: reword every message of every probe (title, observed, expected, detail, each check's
// name and texts) and plan every step on recorded hosts again; nothing a plan does may change.

type Reword = (text: string) => string;

function reworded(p: Probe, f: Reword): Probe {
  const parse = (outputs: Parameters<Probe["parse"]>[0]): Verdict<Record<string, unknown>> => {
    const v = p.parse(outputs);
    return {
      ...v,
      observed: f(v.observed),
      expected: f(v.expected),
      detail: f(v.detail),
      checks: v.checks.map((c) => ({ ...c, name: f(c.name), observed: f(c.observed), expected: f(c.expected) })),
    };
  };
  return { ...p, title: f(p.title), parse };
}

function observe(state: HostState, lookup: (id: string) => Probe): Observed {
  const results = [...probes.keys()].map((id): ProbeResult => {
    const p = lookup(id);
    return { ...p.parse(state.outputs[id] ?? {}), probeId: id, title: p.title, fixStepId: p.fixStepId, raw: [] };
  });
  return { probes: Object.fromEntries(results.map((r) => [r.probeId, r])), files: state.files };
}

function plan(step: Step, state: HostState, lookup: (id: string) => Probe) {
  try {
    return step.plan(state.facts, observe(state, lookup));
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

const original = (id: string) => probes.get(id)!;
const withWords = (f: Reword) => {
  const wrapped = new Map([...probes].map(([id, p]) => [id, reworded(p, f)]));
  return (id: string) => wrapped.get(id)!;
};
// Marked: the same words inside markers, so a plan that quotes a probe (a note, a reason) reads the
// same once the markers are taken out, while any comparison of the text itself fails.
const OPEN = "\u27e6";
const CLOSE = "\u27e7";
const marked = withWords((t) => `${OPEN}${t}${CLOSE}`);
const unmark = (json: string) => json.replaceAll(OPEN, "").replaceAll(CLOSE, "");
// Other words altogether: what the plan would run stays the same.
let n = 0;
const otherWords = withWords(() => `reworded text ${++n}`);
const whatRuns = (p: ReturnType<typeof plan>) =>
  "refused" in p ? "refused" : { actions: p.actions.map((a) => ({ ...a, reason: "" })), notes: p.notes.length };

// The release list is read from the environment: plan against upstream's.
beforeEach(() => {
  vi.stubEnv("NODEPREP_LOCAL_RELEASES", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const cases = Object.entries(hostStates).flatMap(([state, host]) => steps.map((step) => [`${step.id} on the ${state} host`, step, host] as const));

describe("rewording every probe message changes no plan", () => {
  it.each(cases)("%s", (_name, step, host) => {
    const before = plan(step, host, original);
    expect(unmark(JSON.stringify(plan(step, host, marked)))).toBe(JSON.stringify(before));
    expect(whatRuns(plan(step, host, otherWords))).toEqual(whatRuns(before));
  });

  it("the recorded hosts make the steps plan changes, notes and refusals (the test above compares something)", () => {
    const all = cases.map(([, step, host]) => plan(step, host, original));
    expect(all.filter((p) => "actions" in p && p.actions.length > 0).length).toBeGreaterThan(15);
    expect(all.filter((p) => "notes" in p && p.notes.length > 0).length).toBeGreaterThan(8);
    expect(all.some((p) => "refused" in p)).toBe(true);
  });

  it("a step that decided by a probe's words would be caught", () => {
    const byWords: Step = {
      ...steps[0],
      plan: (_facts, observed) => ({
        actions: observed.probes["module-overlay"]?.observed.startsWith("loaded") ? [] : [{ kind: "run-command", argv: ["modprobe", "overlay"], reason: "" }],
        notes: [],
      }),
    };
    const host = hostStates.prepared;
    expect(whatRuns(plan(byWords, host, otherWords))).not.toEqual(whatRuns(plan(byWords, host, original)));
  });
});

describe("probe data", () => {
  it.each(Object.entries(hostStates))("on the %s host, every probe's data has its probe's shape, also after a trip through JSON", (_name, host) => {
    for (const [id, p] of probes) {
      const verdict = p.parse(host.outputs[id] ?? {});
      const stored = ProbeResultSchema.parse(JSON.parse(JSON.stringify({ ...verdict, probeId: id, title: p.title, fixStepId: p.fixStepId, raw: [] })));
      expect(dataOf(p, stored), id).toEqual(verdict.data);
      if (verdict.status === "ok" || verdict.status === "warn") expect(verdict.data, `${id} passed: its data says what it found`).not.toBeNull();
    }
  });

  it("dataOf refuses another probe's result and data of the wrong shape, naming the probe", () => {
    const containerd = probes.get("containerd-installed")!;
    const runc = probes.get("runc-installed")!;
    const result = { ...runc.parse(hostStates.prepared.outputs["runc-installed"]), probeId: runc.id, title: runc.title, fixStepId: runc.fixStepId, raw: [] };
    expect(() => dataOf(containerd, result)).toThrow(/probe containerd-installed's data was read from a result of runc-installed/);
    expect(() => dataOf(runc, { ...result, data: { release: { state: "melted" } } })).toThrow(/probe runc-installed: its data does not have the probe's shape/);
    expect(dataOf(runc, { ...result, data: null })).toBeNull();
    expect(dataOf(runc, undefined)).toBeNull();
  });

  it("a result stored before probes had data parses, with none", () => {
    const old: Record<string, unknown> = { ...probes.get("swap-off")!.parse(hostStates.fresh.outputs["swap-off"]), probeId: "swap-off", title: "swap off", fixStepId: null, raw: [] };
    delete old.data;
    expect(ProbeResultSchema.parse(old).data).toBeNull();
  });
});
