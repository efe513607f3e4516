import "server-only";
import { tidyArtifactFiles } from "./artifacts/uploads";
import { recordInterruptedCommands } from "./audit/record";
import { ensureFirstAdmin } from "./auth/setup";
import { config } from "./config";
import { db } from "./db";
import { syncPracticeNodes } from "./practice/sync";
import { markInterrupted } from "./runs/repository";

export async function startup(): Promise<void> {
  const database = db();
  console.log(`[nodeprep] data directory ${config().NODEPREP_DATA_DIR}`);
  for (const line of await ensureFirstAdmin(database)) console.log(line);
  const tidied = tidyArtifactFiles();
  if (tidied.removed.length) console.log(`[nodeprep] removed ${tidied.removed.length} unfinished artifact file(s): ${tidied.removed.join(", ")}`);
  const cutOff = recordInterruptedCommands(database);
  if (cutOff) console.log(`[nodeprep] ${cutOff} command(s) were still running on hosts when the dashboard stopped: recorded in the audit log`);
  const interrupted = markInterrupted(database);
  if (interrupted.length) console.log(`[nodeprep] marked ${interrupted.length} run(s) interrupted by the restart`);
  if (config().NODEPREP_PRACTICE_NODES === "1") {
    const synced = syncPracticeNodes(database);
    console.log(`[nodeprep] practice nodes registered: ${synced.map((n) => n.name).join(", ") || "none running"}`);
  }
}
