import { describe, expect, it } from "vitest";
import type { ProbeResult } from "@/lib/contracts/catalog";
import { getProbe } from "../catalog";
import { hostStates } from "../catalog/fixtures/host-states";
import { openDb } from "../db";
import { getCheck, recordCheck } from "./checks";

const stored = (probeId: string): ProbeResult => {
  const p = getProbe(probeId);
  return { ...p.parse(hostStates.packaged.outputs[probeId]), probeId, title: p.title, fixStepId: p.fixStepId, raw: [] };
};

describe("stored checks", () => {
  it("keep each probe's data beside its verdict, and read rows stored before data existed", () => {
    const db = openDb(":memory:");
    const results = [stored("swap-off"), stored("containerd-installed")];
    const id = recordCheck(db, {
      scanId: null,
      nodeId: "n1",
      nodeName: "n1",
      at: "2025-01-01T00:00:00.000Z",
      outcome: { reach: "reachable", results, bootId: null, bootedAt: null, durationMs: 5 },
    });
    expect(getCheck(db, id)!.results.map((r) => [r.probeId, r.data])).toEqual([
      ["swap-off", results[0].data],
      ["containerd-installed", results[1].data],
    ]);
    expect(results[1].data).toMatchObject({ packaged: { path: "/usr/bin/containerd", version: "1.6.28" } });
    db.prepare("UPDATE health_results SET checks = ? WHERE probe_id = 'swap-off'").run(JSON.stringify(results[0].checks));
    expect(getCheck(db, id)!.results[0]).toMatchObject({ checks: results[0].checks, data: null });
  });
});
