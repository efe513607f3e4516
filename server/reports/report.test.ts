import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { NodeReport } from "@/lib/contracts/report";
import { debianFacts } from "../catalog/fixtures/facts";
import type { Probe, Step } from "../catalog/types";
import { openDb, type Db } from "../db";
import { trackHost } from "../hosts";
import { saveFacts } from "../nodes/repository";
import { createEngine, type Engine } from "../runs/engine";
import { localHost } from "../ssh/testing/fake-host";
import { quote } from "../ssh/quote";
import { buildReport, UnknownReportNodeError } from "./build";
import { reportMarkdown } from "./markdown";

// The report from real runs of the engine on the local shell (a fake host without SSH): what changed
// and when, the verification with its raw output, and the audit ids of the commands.

let dir: string;
let db: Db;
let engine: Engine;
let flag: string;

function catalog() {
  const probe: Probe = {
    id: "flag-set",
    title: "flag file",
    fixStepId: "set-flag",
    data: z.object({}),
    // Output with a fence in it: the Markdown must still keep it inside one block.
    commands: [{ key: "cat", command: `cat ${quote(flag)} && echo '\`\`\` not the end'` }],
    parse: (o) => ({ status: o.cat?.output.startsWith("up\n") ? "ok" : "fail", observed: o.cat?.output.split("\n")[0] ?? "", expected: "up", detail: "", checks: [], data: {} }),
  };
  const steps: Step[] = [
    {
      id: "set-flag",
      title: "Set the flag",
      summary: "",
      requires: [],
      observe: { probes: [], files: [flag] },
      plan: (_f, o) => ({
        actions: o.files[flag]?.kind === "file" ? [] : [{ kind: "write-file", path: flag, mode: 0o644, content: "up\n", reason: "the flag is missing" }],
        notes: [],
      }),
      verify: ["flag-set"],
    },
    { id: "later", title: "Later", summary: "", requires: ["flag-set"], observe: { probes: [], files: [] }, plan: () => ({ actions: [], notes: [] }), verify: ["flag-set"] },
  ];
  return { steps, getProbe: () => probe };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-report-"));
  flag = path.join(dir, "flag");
  db = openDb(":memory:");
  db.prepare(
    "INSERT INTO nodes (id, name, address, port, username, auth_method, privilege, created_at, updated_at) VALUES ('n1', 'node-one', '10.0.0.5', 22, 'ops', 'key', 'root', 'x', 'x')",
  ).run();
  const host = localHost("node-one");
  engine = createEngine({
    db,
    catalog: catalog(),
    describeNode: (id) => (id === "n1" ? { id, name: "node-one" } : null),
    openHost: (nodeId, work) => trackHost(host, { ...work, db, node: { id: nodeId, name: "node-one" }, secrets: [] }),
    gatherFacts: async () => debianFacts,
  });
});

afterEach(async () => {
  await engine.idle();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(stepIds: string[], mode: "check" | "apply") {
  const { runId, done } = engine.start({ stepIds, nodeIds: ["n1"], mode, actor: "alice" });
  await done;
  return runId;
}

const steps = [
  { id: "set-flag", title: "Set the flag" },
  { id: "later", title: "Later" },
];

describe("a node's report", () => {
  it("before any run: every step not run, nothing verified, no facts", () => {
    const r = NodeReport.parse(buildReport(db, "n1", steps));
    expect(r.summary).toEqual({ verified: 0, total: 2, ready: false });
    expect(r.facts).toBeNull();
    expect(r.steps.map((s) => [s.stepId, s.state, s.lastRun, s.verification, s.lastChange, s.audit])).toEqual([
      ["set-flag", "not-started", null, null, null, []],
      ["later", "not-started", null, null, null, []],
    ]);
    expect(reportMarkdown(r)).toContain("**Not ready yet: 0 of 2 steps verified.**");
  });

  it("after an apply and a second run: the change stays the first apply's, the verification is the latest run's, with the audit ids", async () => {
    const applied = await run(["set-flag", "later"], "apply");
    const again = await run(["set-flag"], "apply");
    saveFacts(db, "n1", { ...debianFacts, containerd: { present: true, path: "/usr/local/bin/containerd", version: "1.6.20" } });
    const r = NodeReport.parse(buildReport(db, "n1", steps));
    expect(r.summary).toEqual({ verified: 2, total: 2, ready: true });
    expect(r.versions).toMatchObject({ containerd: "1.6.20", runc: null, kernel: "6.1.0-50-amd64" });

    const s = r.steps[0];
    expect(s.state).toBe("done");
    expect(s.lastRun).toMatchObject({ runId: again, mode: "apply", status: "unchanged" });
    expect(s.lastChange).toMatchObject({ runId: applied, actor: "alice", actions: [{ kind: "write-file", what: `Create ${flag} (mode 644)`, reason: "the flag is missing" }] });
    expect(s.verification).toHaveLength(1);
    expect(s.verification![0]).toMatchObject({ probeId: "flag-set", status: "ok" });
    expect(s.verification![0].raw[0].output).toBe("up\n``` not the end\n");
    // The write (first apply) and the verification scripts of both runs, as the audit log numbered them.
    const audited = db.prepare("SELECT seq, run_id AS runId FROM audit_log WHERE step_id = 'set-flag' ORDER BY seq").all() as { seq: number; runId: string }[];
    expect(s.audit.map((a) => a.seq)).toEqual(audited.map((a) => a.seq));
    expect(new Set(s.audit.map((a) => a.runId))).toEqual(new Set([applied, again]));
    expect(s.audit.some((a) => a.command.includes(` > /dev/null <<'EOF'`) && a.exitCode === 0)).toBe(true);

    const md = reportMarkdown(r);
    expect(md).toContain("**Ready for a container runtime: 2 of 2 steps verified.**");
    expect(md).toContain(`- Create ${flag} (mode 644): the flag is missing`);
    // The raw output's own ``` stays inside a longer fence.
    expect(md).toContain("````console\n$ cat ");
    expect(md).toContain("``` not the end\n````");
    expect(md).toMatch(new RegExp(`- #${s.audit[0].seq} at \\S+, exit 0: `));
    expect(md).toContain("| containerd | 1.6.20 |");
  });

  it("a Check with changes to make is not verified, and says so", async () => {
    await run(["set-flag"], "check");
    const r = buildReport(db, "n1", steps);
    expect(r.steps[0]).toMatchObject({ state: "planned", lastRun: { mode: "check", status: "pending-changes" }, lastChange: null });
    expect(r.steps[0].verification![0].status).toBe("fail");
    expect(r.summary.verified).toBe(0);
    expect(reportMarkdown(r)).toContain("### 1. Set the flag: checked: changes to make");
  });

  it("an unknown node is an error the route turns into a 404", () => {
    expect(() => buildReport(db, "nope", steps)).toThrow(UnknownReportNodeError);
  });
});
