import { describe, expect, it } from "vitest";
import { judgeCheck, type ProbeState } from "./drift";

const okState = (checkId: number, at: string, bootId: string | null): ProbeState => ({
  status: "ok",
  checkId,
  at,
  lastOkCheckId: checkId,
  lastOkAt: at,
  lastOkBootId: bootId,
});
const check = (checkId: number, at: string, bootId: string | null = "boot-a") => ({ checkId, at, bootId });

describe("judgeCheck", () => {
  it("ok -> fail on the same boot is a drift event, not a reboot", () => {
    const prev = new Map([["module-br-netfilter", okState(1, "T1", "boot-a")]]);
    const j = judgeCheck(prev, [{ probeId: "module-br-netfilter", status: "fail" }], check(2, "T2"), new Set());
    expect(j.drift).toEqual([{ probeId: "module-br-netfilter", toStatus: "fail", lastOkAt: "T1", lastOkCheckId: 1, rebooted: false }]);
    expect(j.next.get("module-br-netfilter")).toMatchObject({ status: "fail", lastOkAt: "T1", lastOkBootId: "boot-a" });
  });

  it("ok -> fail across a boot id change says the node rebooted in between", () => {
    const prev = new Map([["sysctl-values", okState(1, "T1", "boot-a")]]);
    const j = judgeCheck(prev, [{ probeId: "sysctl-values", status: "fail" }], check(2, "T2", "boot-b"), new Set());
    expect(j.drift[0]).toMatchObject({ probeId: "sysctl-values", rebooted: true });
  });

  it("ok -> warn is drift too (e.g. swap listed in fstab again)", () => {
    const j = judgeCheck(new Map([["swap-off", okState(1, "T1", "b")]]), [{ probeId: "swap-off", status: "warn" }], check(2, "T2", "b"), new Set());
    expect(j.drift.map((d) => d.toStatus)).toEqual(["warn"]);
  });

  it("a probe failing since the start (never ok) is not drift", () => {
    const j = judgeCheck(new Map(), [{ probeId: "module-overlay", status: "fail" }], check(1, "T1"), new Set());
    expect(j.drift).toEqual([]);
    expect(j.next.get("module-overlay")).toMatchObject({ status: "fail", lastOkAt: null });
  });

  it("fail -> fail again raises no second event while the first is open", () => {
    const prev = new Map<string, ProbeState>([["module-overlay", { ...okState(1, "T1", "b"), status: "fail", checkId: 2, at: "T2" }]]);
    const j = judgeCheck(prev, [{ probeId: "module-overlay", status: "fail" }], check(3, "T3"), new Set(["module-overlay"]));
    expect(j.drift).toEqual([]);
  });

  it("unknown (no answer for that probe) neither raises drift nor forgets the last ok", () => {
    const prev = new Map([["sysctl-values", okState(1, "T1", "b")]]);
    const j1 = judgeCheck(prev, [{ probeId: "sysctl-values", status: "unknown" }], check(2, "T2", "b"), new Set());
    expect(j1.drift).toEqual([]);
    expect(j1.next.size).toBe(0);
    // ... so ok -> unknown -> fail is still drift, dated from the last ok.
    const j2 = judgeCheck(prev, [{ probeId: "sysctl-values", status: "fail" }], check(3, "T3", "b"), new Set());
    expect(j2.drift[0]).toMatchObject({ lastOkAt: "T1", lastOkCheckId: 1 });
  });

  it("ok again resolves the open drift and records the new last ok", () => {
    const prev = new Map<string, ProbeState>([["module-br-netfilter", { ...okState(1, "T1", "a"), status: "fail", checkId: 2, at: "T2" }]]);
    const j = judgeCheck(prev, [{ probeId: "module-br-netfilter", status: "ok" }], check(3, "T3", "c"), new Set(["module-br-netfilter"]));
    expect(j.resolved).toEqual(["module-br-netfilter"]);
    expect(j.next.get("module-br-netfilter")).toMatchObject({ status: "ok", lastOkCheckId: 3, lastOkAt: "T3", lastOkBootId: "c" });
  });

  it("no boot id on either side: never claims a reboot", () => {
    const j = judgeCheck(new Map([["p", okState(1, "T1", null)]]), [{ probeId: "p", status: "fail" }], check(2, "T2", "x"), new Set());
    expect(j.drift[0].rebooted).toBe(false);
  });
});
