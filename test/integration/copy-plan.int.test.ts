// The plan is what a person can run (issue 13): on a fresh practice node, each step's "Copy all" text
// (copyAllText, the very function behind the plan's Copy all button) is taken in the wizard's order,
// after a Check of that step, and run by hand over SSH with `bash -e`, as the login user with sudo.
// Release files are delivered the way the text says: it names the file the dashboard uploads from its
// cache to /var/tmp, and the test puts that file there over SFTP (what `scp` does), from the lab's
// local release. Then the wizard's Check of every step says nothing to change, and every verification
// passes. One node (81), restored from the snapshot; nothing in it is applied by nodeprep itself.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImage, execOn, startNode, stopNode, type LabImage, type PracticeNode } from "../../lab";
import type { RunEvent } from "../../lib/contracts/runs";
import { copyAllText } from "../../lib/plan";

const N = 81;
let node: PracticeNode;
let image: LabImage;
let nodeId: string;
let dataDir: string;
let mods: {
  engine: typeof import("../../server/runs").engine;
  steps: string[];
  listEvents: (runId: string) => RunEvent[];
  closeAllConnections: typeof import("../../server/ssh").closeAllConnections;
  host: () => import("../../server/ssh").RemoteHost;
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "np-copy-plan-it-"));
  process.env.NODEPREP_DATA_DIR = dataDir;
  image = await ensureImage();
  process.env.NODEPREP_LOCAL_RELEASES = image.artifactsDir;
  node = await startNode(N, { image });
  const { db } = await import("../../server/db");
  const { syncPracticeNodes } = await import("../../server/practice/sync");
  nodeId = syncPracticeNodes(db()).find((n) => n.name === node.name)!.id;
  const runs = await import("../../server/runs");
  const repo = await import("../../server/runs/repository");
  const ssh = await import("../../server/ssh");
  const targets = await import("../../server/nodes/targets");
  const { steps } = await import("../../server/catalog");
  mods = {
    engine: runs.engine,
    steps: steps.map((s) => s.id),
    listEvents: (id) => repo.listEvents(db(), id),
    closeAllConnections: ssh.closeAllConnections,
    host: () => ssh.getRemoteHost(targets.loadTarget(db(), nodeId)),
  };
});

afterAll(async () => {
  mods?.closeAllConnections();
  await stopNode(N);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function check(stepIds: string[]): Promise<RunEvent[]> {
  const { runId, done } = mods.engine().start({ stepIds, nodeIds: [nodeId], mode: "check", actor: "it" });
  await done;
  return mods.listEvents(runId);
}

// "# <file> (...): uploaded from the dashboard's cache over SFTP to /var/tmp/<file> ..."
const UPLOAD = /^# (\S+) \(.*\): uploaded from the dashboard's cache over SFTP to (\/var\/tmp\/\S+?) /;

/** The lines the shell reads as commands or comments: here-document bodies (a file's content) left out. */
function shellLines(text: string): string[] {
  const out: string[] = [];
  let until: string | null = null;
  for (const line of text.split("\n")) {
    if (until !== null) {
      if (line === until) until = null;
      continue;
    }
    out.push(line);
    until = /<<'([A-Z0-9]+)'/.exec(line)?.[1] ?? null;
  }
  return out;
}

describe("copying the plan by hand", () => {
  it("every step's Copy all, run in order with bash -e, leaves nothing to change and every verification passing", async () => {
    const copied: Record<string, string> = {};
    for (const stepId of mods.steps) {
      const events = await check([stepId]);
      const end = events.find((e) => e.type === "step-end");
      expect(end, stepId).toBeDefined();
      expect(end!.type === "step-end" && end!.status, `${stepId}: ${end!.type === "step-end" ? end!.message : ""}`).toMatch(/^(pending-changes|unchanged)$/);
      const plan = events.find((e) => e.type === "plan");
      if (!plan || plan.type !== "plan" || plan.actions.length === 0) continue;
      const text = copyAllText(plan.actions);
      copied[stepId] = text;
      // The text is runnable as is: no comment stands in for a command (only the upload is a comment).
      expect(shellLines(text).filter((l) => l.startsWith("#") && !UPLOAD.test(l)), stepId).toEqual([]);
      for (const m of text.split("\n").map((l) => UPLOAD.exec(l))) {
        if (!m) continue;
        const [, file, to] = m;
        await mods.host().upload(path.join(image.artifactsDir, file), to, { mode: 0o600 });
      }
      const script = `/var/tmp/copy-${stepId}.sh`;
      await mods.host().upload(Buffer.from(`${text}\n`), script, { mode: 0o600 });
      const r = await execOn(node, `bash -e ${script} && rm -f ${script}`, 300_000);
      expect(r.code, `${stepId} by hand:\n${text}\n---\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    // What a fresh node needs copied. The kubelet step plans only a note here (no kubelet yet: kubeadm
    // writes its config with cgroupDriver: systemd) and swap nothing (the node has no swap); both are
    // still in the final Check below.
    expect(Object.keys(copied)).toEqual(["kernel-modules", "sysctl", "containerd", "runc", "cni-plugins", "containerd-service", "cgroup-driver"]);
    expect(copied.containerd).toMatch(/\nsudo tar Cxzvf \/usr\/local \/var\/tmp\/containerd-1\.6\.20-linux-amd64\.tar\.gz\n/);
    expect(copied.runc).toMatch(/\nsudo install -m 755 \/var\/tmp\/runc\.amd64 \/usr\/local\/sbin\/runc\n/);
    expect(copied["cni-plugins"]).toMatch(/\nsudo mkdir -p \/opt\/cni\/bin\nsudo tar Cxzvf \/opt\/cni\/bin /);
    expect(copied["containerd-service"]).toMatch(/^sudo mkdir -p \/usr\/local\/lib\/systemd\/system\nsudo tee \/usr\/local\/lib\/systemd\/system\/\.containerd\.service\.nodeprep > \/dev\/null <<'EOF'\n/);

    // Now the wizard's Check of every step: nothing to change, every verification passes.
    const after = await check(mods.steps);
    const ends = Object.fromEntries(after.flatMap((e) => (e.type === "step-end" ? [[e.stepId, `${e.status}: ${e.message}`]] : [])));
    expect(ends).toEqual(Object.fromEntries(mods.steps.map((id) => [id, "unchanged: already done, nothing to change"])));
    const failed = after.flatMap((e) => (e.type === "probe" && e.phase === "verify" && e.result.status !== "ok" ? [`${e.result.probeId}: ${e.result.observed}`] : []));
    expect(failed).toEqual([]);
    expect(after.filter((e) => e.type === "probe" && e.phase === "verify").length).toBeGreaterThan(10);
    // The staged release files were removed by the text's own `rm -f`.
    expect((await execOn(node, "ls /var/tmp | grep -E '(tar\\.gz|tgz|amd64|\\.sh)$' || true")).stdout).toBe("");
  }, 600_000);
});
