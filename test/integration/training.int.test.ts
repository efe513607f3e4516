// Every training scenario on a real practice node, through the dashboard's own services:
// the lab's CLI resets the node, the fault's root commands break it, the catalog's probes grade it.
// For each scenario: start it (reset + fault + first check), the objectives fail with the expected
// probe output (after a reboot where the scenario says so), the scenario's own solution is applied
// (its wizard steps through the run engine, its commands as root), and "Check my work" passes (with
// the reboot where the scenario says so). A scenario whose fault does not break its objectives, or
// whose solution does not fix them, fails here.
//
// Cheap on purpose: one node for all ten, reset between scenarios (seconds); the runtime is installed
// once by the wizard and saved as a lab base that the runtime scenarios restore; reboots only where a
// scenario is about what survives one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropBases, ensureImage } from "../../lab";
import type { SessionUser } from "../../lib/contracts/auth";

/** What each fault shows in the host's own output (a probe's raw output), beyond the verdicts. */
const RAW: Record<string, { probe: string; shows: RegExp; lacks?: RegExp }> = {
  "modules-not-persisted": { probe: "module-br-netfilter", shows: /grep -E '\^\(overlay\|br_netfilter\) '/, lacks: /^br_netfilter\s+\d+/m },
  "br-netfilter-not-at-boot": { probe: "sysctl-values", shows: /cannot stat \/proc\/sys\/net\/bridge\/bridge-nf-call-iptables/ },
  "sysctl-overridden": { probe: "sysctl-at-boot", shows: /\/etc\/sysctl\.d\/network-hardening\.conf:net\.ipv4\.ip_forward = 0/ },
  "cri-disabled": { probe: "containerd-systemd-cgroup", shows: /disabled_plugins = \["cri"\]/ },
  "cgroup-driver-mismatch": { probe: "kubelet-cgroup-driver", shows: /cgroupDriver: systemd[\s\S]*SystemdCgroup = false/ },
  "containerd-not-enabled": { probe: "containerd-active", shows: /ActiveState=active[\s\S]*UnitFileState=disabled/ },
  "config-not-applied": { probe: "containerd-systemd-cgroup", shows: /SystemdCgroup = true/ },
  "runc-not-on-path": { probe: "runc-for-containerd", shows: /containerd runs as pid \d+ with PATH=\/usr\/local\/sbin:.*\nno runc in that PATH/ },
  "cni-loopback-missing": { probe: "cni-plugins", shows: /\bportmap\b/, lacks: /\bloopback\b/ },
  "swap-on": { probe: "swap-off", shows: /\/swapfile\s+file[\s\S]*\/swapfile none swap sw 0 0/ },
};

let dataDir: string;
let trainee: SessionUser;
let nodeId: string;
let mods: {
  training: typeof import("../../server/training").training;
  scenarios: typeof import("../../server/training/scenarios").scenarios;
  grade: typeof import("../../server/training/grader").grade;
  host: (actor: string) => import("../../server/training/host").TrainingHost;
  applySteps: (stepIds: string[]) => Promise<{ status: string; message: string | null }>;
  closeAllConnections: () => void;
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "np-training-it-"));
  process.env.NODEPREP_DATA_DIR = dataDir;
  process.env.NODEPREP_PRACTICE_IDLE_MINUTES = "0";
  process.env.NODEPREP_LOCAL_RELEASES = (await ensureImage()).artifactsDir;
  const { db } = await import("../../server/db");
  const { training } = await import("../../server/training");
  const { scenarios } = await import("../../server/training/scenarios");
  const { grade } = await import("../../server/training/grader");
  const { trainingHost } = await import("../../server/training/host");
  const { traineeWithPracticeNode } = await import("../../server/training/testing");
  const { engine } = await import("../../server/runs");
  const { getRun } = await import("../../server/runs/repository");
  const { closeAllConnections } = await import("../../server/ssh");
  // The trainer gives the trainee a practice node: none is free, so one is started for them.
  const given = await traineeWithPracticeNode("it");
  trainee = given.trainee;
  nodeId = given.node.id;
  mods = {
    training,
    scenarios,
    grade,
    host: (actor) => trainingHost(db(), nodeId, actor),
    applySteps: async (stepIds) => {
      const { runId, done } = engine().start({ stepIds, nodeIds: [nodeId], mode: "apply", actor: "it-solution" });
      await done;
      const run = getRun(db(), runId)!;
      return { status: run.status, message: run.message };
    },
    closeAllConnections,
  };
}, 600_000);

afterAll(() => {
  mods?.closeAllConnections();
  dropBases();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("every scenario on a real practice node", () => {
  it("has the ten scenarios, each with a raw-output expectation here", async () => {
    const { scenarios } = await import("../../server/training/scenarios");
    expect(scenarios().map((s) => s.id).sort()).toEqual(Object.keys(RAW).sort());
  });

  for (const id of Object.keys(RAW)) {
    it(`${id}: the fault breaks its objectives as it says; its solution makes them pass`, async () => {
      const scenario = mods.scenarios().find((s) => s.id === id)!;
      const { attemptId, done } = mods.training().start(trainee, id);
      await done;
      const started = mods.training().attemptView(trainee, attemptId);
      expect(started.state, `${id} did not start: ${started.op?.message}`).toBe("ready");

      // Broken as the scenario says (after a reboot for what only a boot shows).
      const broken = await mods.grade(scenario, mods.host("it-fault-check"), { reboot: "when-any-after-reboot-passes" });
      expect(broken.passed).toBe(false);
      for (const o of scenario.objectives) {
        const got = broken.objectives.find((b) => b.probeId === o.probe)!;
        const notOk = got.result.checks.filter((c) => c.status !== "ok").map((c) => c.name);
        expect(got.result.status, `${id}/${o.probe}: ${got.result.observed} (${got.result.detail})`).toBe(o.broken.status);
        for (const check of o.broken.checks) expect(notOk, `${id}/${o.probe}`).toContain(check);
        if (o.afterReboot && got.checkedAfterReboot) expect(broken.rebooted).toBe(true);
      }
      const raw = RAW[id];
      const output = broken.objectives.find((b) => b.probeId === raw.probe)!.result.raw.map((r) => `$ ${r.command}\n${r.output}`).join("\n");
      expect(output, `${id}: raw output of ${raw.probe}`).toMatch(raw.shows);
      if (raw.lacks) expect(output, `${id}: raw output of ${raw.probe}`).not.toMatch(raw.lacks);

      // The scenario's own solution.
      if (scenario.solution.steps.length) {
        const run = await mods.applySteps(scenario.solution.steps);
        expect(run.status, `${id}: solution steps: ${run.message}`).toBe("succeeded");
      }
      const host = mods.host("it-solution");
      for (const command of scenario.solution.commands) {
        const r = await host.runRoot(command, `scenario ${id}: solution`);
        expect(r.code, `${id}: ${command}: ${r.output}`).toBe(0);
      }

      // "Check my work": passes, after the reboot where the scenario says so.
      await mods.training().check(trainee, attemptId).done;
      const after = mods.training().attemptView(trainee, attemptId);
      const verdicts = after.lastCheck?.objectives.map((o) => `${o.probeId}: ${o.result.status} (${o.result.observed})`).join("; ");
      expect(after.state, `${id}: ${after.op?.message} ${verdicts}`).toBe("passed");
      expect(after.lastCheck!.rebooted).toBe(scenario.objectives.some((o) => o.afterReboot));
    }, 400_000);
  }
});
