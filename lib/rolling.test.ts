import { describe, expect, it } from "vitest";
import { describeRollout, inBatches, planRollout, rollingFromText, rolloutBatches } from "./rolling";

describe("planRollout", () => {
  it("resolves counts and percentages for the run's nodes, the way Ansible's serial rounds", () => {
    expect(planRollout(5, { batch: 2 })).toEqual({ batch: 2, stopAfter: 1, batchSize: 2, stopAfterFailures: 1, batches: 3 });
    // 30% of 5 = 1.5 -> 1 node a batch (floor, as serial), 30% failures of 5 -> 2 (at least that share).
    expect(planRollout(5, { batch: "30%", stopAfter: "30%" })).toMatchObject({ batchSize: 1, stopAfterFailures: 2, batches: 5 });
    expect(planRollout(3, { batch: "10%" })).toMatchObject({ batchSize: 1, batches: 3 }); // never an empty batch
    expect(planRollout(3, { batch: 10 })).toMatchObject({ batchSize: 3, batches: 1 }); // a batch larger than the run
    expect(planRollout(200, { batch: "100%", stopAfter: "1%" })).toMatchObject({ batchSize: 200, stopAfterFailures: 2, batches: 1 });
  });
  it("refuses settings the contract refuses", () => {
    expect(() => planRollout(5, { batch: 0 })).toThrow(/batch size must be a whole number of nodes from 1/);
    expect(() => planRollout(5, { batch: "0%" })).toThrow(/the batch size must be .* or a percentage from/);
    expect(() => planRollout(5, { batch: 1, stopAfter: "101%" })).toThrow(/failure threshold/);
  });
  it("cuts nodes into consecutive batches and describes the plan", () => {
    expect(inBatches(["a", "b", "c", "d", "e"], 2)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(describeRollout(planRollout(5, { batch: 2 }))).toBe("batches of 2 (3 batches), stop after 1 failure");
    expect(describeRollout(planRollout(8, { batch: "25%", stopAfter: "50%" }))).toBe("batches of 25% = 2 nodes (4 batches), stop after 50% = 4 failures");
  });
});

describe("rollingFromText", () => {
  it("reads the wizard's boxes as counts or percentages, and says what is wrong otherwise", () => {
    expect(rollingFromText("2", "1")).toEqual({ rolling: { batch: 2, stopAfter: 1 }, error: null });
    expect(rollingFromText(" 25% ", "10%")).toEqual({ rolling: { batch: "25%", stopAfter: "10%" }, error: null });
    expect(rollingFromText("0", "1").error).toMatch(/^the batch size must be a whole number of nodes from 1 to 1000/);
    expect(rollingFromText("2", "lots").error).toMatch(/^the failure threshold must be/);
  });
});

describe("canary and pause", () => {
  it("a canary of true is the first batch; a canary size of its own comes first; the pause is kept", () => {
    const plan = planRollout(5, { batch: 2, canary: true, pauseSeconds: 30 });
    expect(plan).toEqual({ batch: 2, stopAfter: 1, batchSize: 2, stopAfterFailures: 1, batches: 3, canarySize: 2, pauseSeconds: 30 });
    expect(rolloutBatches(["a", "b", "c", "d", "e"], plan)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    const own = planRollout(5, { batch: 2, canary: "20%" });
    expect(own).toMatchObject({ canarySize: 1, batches: 3 });
    expect(rolloutBatches(["a", "b", "c", "d", "e"], own)).toEqual([["a"], ["b", "c"], ["d", "e"]]);
    // A canary as large as the run is the only batch: nothing waits after it.
    expect(rolloutBatches(["a", "b"], planRollout(2, { batch: 1, canary: 5 }))).toEqual([["a", "b"]]);
    expect(planRollout(5, { batch: 2, canary: false, pauseSeconds: 0 })).toEqual(planRollout(5, { batch: 2 }));
    expect(describeRollout(own)).toBe("a canary batch of 1 node that waits for Continue, then batches of 2 (3 batches in all), stop after 1 failure");
    expect(describeRollout(plan)).toMatch(/, 30 s between batches$/);
  });
  it("refuses a pause outside 0-3600 s and a canary of nothing", () => {
    expect(() => planRollout(5, { batch: 1, pauseSeconds: 3601 })).toThrow(/pause between batches must be a whole number of seconds from 0 to 3600/);
    expect(() => planRollout(5, { batch: 1, pauseSeconds: 1.5 })).toThrow(/pause between batches/);
    expect(() => planRollout(5, { batch: 1, canary: 0 })).toThrow(/canary/);
    expect(rollingFromText("2", "1", { canary: true, pauseSeconds: " 45 " })).toEqual({ rolling: { batch: 2, stopAfter: 1, canary: true, pauseSeconds: 45 }, error: null });
    expect(rollingFromText("2", "1", { pauseSeconds: "" }).rolling).toEqual({ batch: 2, stopAfter: 1 });
    expect(rollingFromText("2", "1", { pauseSeconds: "soon" }).error).toMatch(/^the pause between batches must be/);
  });
});
