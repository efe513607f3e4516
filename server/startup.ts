import "server-only";
import { tidyArtifactFiles } from "./artifacts/uploads";
import { recordInterruptedCommands } from "./audit/record";
import { ensureFirstAdmin } from "./auth/setup";
import { config } from "./config";
import { db } from "./db";
import { startIdleSweep } from "./practice";
import { markInterruptedOps } from "./practice/ops";
import { syncPracticeNodes } from "./practice/sync";
import { markInterrupted } from "./runs/repository";
import { markInterruptedAttempts } from "./training/attempts";
import { endOrphanedSessions } from "./terminals/repository";
import { installTerminalSockets } from "./terminals/socket";

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
  // Practice-node operations and scenario set-ups run in this process: a restart cut them off.
  const cut = markInterruptedOps(database) + markInterruptedAttempts(database);
  if (cut) console.log(`[nodeprep] marked ${cut} practice operation(s) interrupted by the restart`);
  startIdleSweep();
  const orphaned = endOrphanedSessions(database);
  if (orphaned) console.log(`[nodeprep] ${orphaned} terminal session(s) were open when the dashboard stopped: marked ended`);
  installTerminalSockets();
  if (config().NODEPREP_PRACTICE_NODES === "1") {
    const synced = syncPracticeNodes(database);
    console.log(`[nodeprep] practice nodes registered: ${synced.map((n) => n.name).join(", ") || "none running"}`);
  }
}
