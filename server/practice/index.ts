import "server-only";
import { config } from "../config";
import { db } from "../db";
import { closeConnection } from "../ssh";
import { realLab } from "./lab-runner";
import { createPracticeService, type PracticeService } from "./service";
import { syncPracticeNodes } from "./sync";

// One practice service per server process, on globalThis: every route bundle must see the same
// operations (and server/practice/locks.ts the same locks).
const g = globalThis as unknown as { nodeprepPractice?: PracticeService; nodeprepIdleSweep?: NodeJS.Timeout };

export function practice(): PracticeService {
  g.nodeprepPractice ??= createPracticeService({
    db: db(),
    lab: realLab,
    config: () => ({ maxRunning: config().NODEPREP_PRACTICE_MAX_RUNNING, idleStopMinutes: config().NODEPREP_PRACTICE_IDLE_MINUTES }),
    sync: () => syncPracticeNodes(db()),
    forget: closeConnection,
  });
  return g.nodeprepPractice;
}

/** Check for idle practice nodes every minute (unref'd: it never keeps the process alive). */
export function startIdleSweep(): void {
  if (g.nodeprepIdleSweep) return;
  g.nodeprepIdleSweep = setInterval(() => {
    try {
      const stopped = practice().sweepIdle();
      if (stopped.length) console.log(`[practice] stopping idle practice nodes: ${stopped.map((s) => s.name).join(", ")}`);
    } catch (error) {
      console.error("[practice] idle sweep failed:", error);
    }
  }, 60_000);
  g.nodeprepIdleSweep.unref();
}
