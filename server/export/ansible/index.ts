import "server-only";
import type { Readable } from "node:stream";
import type { Delivery } from "@/lib/contracts/artifacts";
import type { Rolling } from "@/lib/contracts/runs";
import { ArtifactError } from "../../artifacts";
import { recordAudit } from "../../audit/record";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import { exportIniFor } from "../../inventory/export";
import { tarGz } from "../tar";
import { ExportError, planForExport, type ExportPlanOptions } from "./plan";
import { renderFiles, type ExportFile } from "./render";
import { ansibleRollout } from "./rolling";
import { renderTasks } from "./tasks";

// "Export as an Ansible playbook": the wizard's selected steps, versions and delivery,
// planned by the steps themselves (plan.ts), as ansible.builtin tasks (tasks.ts), in a .tar.gz.

type Body = ReturnType<typeof import("@/lib/contracts/exports").AnsibleExportBody.parse>;

export { ExportError } from "./plan";

export interface ExportOptions extends Omit<ExportPlanOptions, "stepIds"> {
  stepIds: readonly string[];
  delivery: Delivery;
  inventory: string;
  /** Batches for the play (serial, max_fail_percentage), resolved for `nodeCount` inventory hosts. */
  rolling?: { settings: Rolling; nodeCount: number };
  findFile?: Parameters<typeof renderTasks>[1]["findFile"];
}

/** The export's files (text and bundled release files). */
export function ansibleExportFiles(opts: ExportOptions): ExportFile[] {
  const plan = planForExport(opts);
  const rendered = renderTasks(plan, { delivery: opts.delivery, findFile: opts.findFile });
  const rollout = opts.rolling ? ansibleRollout(opts.rolling.settings, opts.rolling.nodeCount) : undefined;
  return renderFiles(rendered, { delivery: opts.delivery, inventory: opts.inventory, rollout });
}

export function exportAnsible(db: Db, body: Body, actor: string | null): { name: string; stream: Readable; files: ExportFile[] } {
  let files: ExportFile[];
  try {
    files = ansibleExportFiles({
      stepIds: body.stepIds,
      arch: body.arch,
      versions: body.versions,
      delivery: body.delivery,
      inventory: exportIniFor(db, body.nodeIds ?? []),
      rolling: body.rolling ? { settings: body.rolling, nodeCount: body.nodeIds?.length ?? 0 } : undefined,
    });
  } catch (error) {
    if (error instanceof ExportError) throw new AppError("export_refused", `export: ${error.message}`);
    if (error instanceof ArtifactError) throw new AppError("export_refused", `export: ${error.message}`);
    throw error;
  }
  recordAudit(db, {
    actor,
    action: "ansible-export",
    detail: { steps: body.stepIds, versions: body.versions ?? {}, delivery: body.delivery.kind, arch: body.arch, rolling: body.rolling ?? null, nodes: body.nodeIds?.length ?? 0, files: files.map((f) => f.path) },
  });
  return { name: "nodeprep-ansible.tar.gz", files, stream: tarGz(files.map((f) => ({ path: f.path, mode: f.mode, content: f.content, source: f.source })), { level: 1 }) };
}
