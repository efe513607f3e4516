import "server-only";
import { createHash } from "node:crypto";
import { db } from "../db";
import { practice } from "../practice";
import { engine } from "../runs";
import { getRun } from "../runs/repository";
import { trainingHost } from "./host";
import { createTrainingService, type TrainingService } from "./service";

// One training service per server process (attempts run in the background of this process).
const g = globalThis as unknown as { nodeprepTraining?: TrainingService };

/** Per process: a base is made by the catalog and releases this process runs, never an older one. */
const runtimeBase = () =>
  `runtime-${createHash("sha256").update(`${process.pid} ${Date.now()} ${process.env.NODEPREP_LOCAL_RELEASES ?? ""}`).digest("hex").slice(0, 12)}`;

export function training(): TrainingService {
  g.nodeprepTraining ??= createTrainingService({
    db: db(),
    practice: practice(),
    host: (nodeId, actor) => trainingHost(db(), nodeId, actor),
    runtimeBase: runtimeBase(),
    applySteps: async (stepIds, nodeId, actor) => {
      const { runId, done } = engine().start({ stepIds: [...stepIds], nodeIds: [nodeId], mode: "apply", actor });
      await done;
      const run = getRun(db(), runId);
      return { ok: run?.status === "succeeded", message: run?.message ?? "the run was lost" };
    },
  });
  return g.nodeprepTraining;
}
