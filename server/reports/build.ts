import "server-only";
import { AppError } from "../errors";
import fs from "node:fs";
import path from "node:path";
import type { HostFacts } from "@/lib/contracts/facts";
import type { NodeReport, ReportStep } from "@/lib/contracts/report";
import { actionTitle } from "@/lib/plan";
import type { Db } from "../db";
import { getFacts, getNode } from "../nodes/repository";
import { stepProgress } from "../runs/repository";
import { latestChanges, latestStepRuns, stepAudit, stepEvents } from "./repository";

// A node's report: its facts and, per wizard step, where it stands with the evidence (the latest
// verification with every raw output, the last change and the audit ids of the commands). Built from
// what the runs stored: making a report runs nothing on the host.

export class UnknownReportNodeError extends AppError {
  constructor(nodeId: string) {
    super("not_found", `node ${nodeId} not found`);
  }
}

function versions(facts: HostFacts | null): NodeReport["versions"] {
  return {
    os: facts ? (facts.os.prettyName ?? `${facts.os.id} ${facts.os.versionId ?? ""}`.trim()) : null,
    kernel: facts?.kernel ?? null,
    containerd: facts?.containerd.present ? (facts.containerd.version ?? "unknown version") : null,
    runc: facts?.runc.present ? (facts.runc.version ?? "unknown version") : null,
    cniPlugins: facts?.cniPlugins.present ? `${facts.cniPlugins.plugins.length} plugins in ${facts.cniPlugins.dir}` : null,
    kubelet: facts?.kubelet.present ? (facts.kubelet.version ?? "unknown version") : null,
  };
}

let cachedVersion: string | null = null;
function nodeprepVersion(): string {
  if (cachedVersion === null) {
    try {
      cachedVersion = (JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
    } catch {
      cachedVersion = "unknown";
    }
  }
  return cachedVersion;
}

export function buildReport(db: Db, nodeId: string, steps: readonly { id: string; title: string }[], now = new Date()): NodeReport {
  const node = getNode(db, nodeId);
  if (!node) throw new UnknownReportNodeError(nodeId);
  const facts = getFacts(db, nodeId);
  const progress = new Map(stepProgress(db, [nodeId], steps.map((s) => s.id)).map((p) => [p.stepId, p]));
  const latest = latestStepRuns(db, nodeId);
  const changes = latestChanges(db, nodeId);

  const reportSteps = steps.map((s, i): ReportStep => {
    const last = latest.get(s.id) ?? null;
    const change = changes.get(s.id) ?? null;
    const verification = last ? stepEvents(db, last.runId, nodeId, s.id, ["probe"]).filter((e) => e.phase === "verify").map((e) => e.result) : [];
    const plan = change ? stepEvents(db, change.runId, nodeId, s.id, ["plan"])[0] : undefined;
    return {
      stepId: s.id,
      title: s.title,
      order: i + 1,
      state: progress.get(s.id)?.state ?? "not-started",
      lastRun: last ? { runId: last.runId, mode: last.mode, status: last.status, at: last.finishedAt } : null,
      verification: verification.length ? verification : null,
      lastChange: change
        ? {
            runId: change.runId,
            at: change.finishedAt,
            actor: change.actor,
            actions: (plan?.actions ?? []).map((a) => ({ kind: a.kind, what: actionTitle(a), reason: a.reason })),
          }
        : null,
      audit: stepAudit(db, [...new Set([change?.runId, last?.runId].filter((id): id is string => !!id))], nodeId, s.id),
    };
  });
  const verified = reportSteps.filter((s) => s.state === "done").length;
  return {
    generatedAt: now.toISOString(),
    nodeprep: { version: nodeprepVersion() },
    node: { id: node.id, name: node.name, address: node.address, port: node.port, username: node.username },
    facts,
    versions: versions(facts),
    summary: { verified, total: reportSteps.length, ready: verified === reportSteps.length },
    steps: reportSteps,
  };
}
