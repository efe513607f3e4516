import { describe, expect, it } from "vitest";
import type { StepProgress } from "@/lib/contracts/catalog";
import { openRequirements } from "./needs-first";

const sysctl = { requires: [{ probeId: "module-br-netfilter", title: "br_netfilter module", fixStepId: "kernel-modules" }] };
const progress = (nodeId: string, state: StepProgress["state"]): StepProgress => ({ nodeId, stepId: "kernel-modules", state, runId: null, at: null });

describe("openRequirements", () => {
  it("lists every requirement with no node selected, or before the progress is known", () => {
    expect(openRequirements(sysctl, [], [])).toEqual(sysctl.requires);
    expect(openRequirements(sysctl, ["a"], undefined)).toEqual(sysctl.requires);
  });

  it("drops a requirement once its fixing step is done on every selected node", () => {
    expect(openRequirements(sysctl, ["a"], [progress("a", "done")])).toEqual([]);
    expect(openRequirements(sysctl, ["a", "b"], [progress("a", "done"), progress("b", "planned")])).toEqual(sysctl.requires);
    expect(openRequirements(sysctl, ["a"], [progress("a", "drift")])).toEqual(sysctl.requires);
  });
});
