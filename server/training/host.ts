import "server-only";
import type { ProbeResult } from "@/lib/contracts/catalog";
import { observeHost } from "../catalog";
import type { Db } from "../db";
import { openHost } from "../hosts";
import { closeConnection } from "../ssh";

// Everything training does on a practice node goes through here: the fault's root commands, the
// grader's probes (the catalog's batch, one round trip) and its reboot, all on the tracked path
// (server/hosts), which records each in the audit log with who caused it and redacts the node's secrets.

export interface TrainingHost {
  /** Run a root shell script (the fault, or a solution's commands); its exit code and combined output. */
  runRoot(script: string, purpose: string): Promise<{ code: number | null; output: string }>;
  /** The catalog's probes, read-only, in one round trip. */
  observe(probeIds: readonly string[]): Promise<ProbeResult[]>;
  /** Reboot and wait until the node answers with a new boot id. */
  reboot(onProgress: (message: string) => void): Promise<void>;
}

const BOOT_ID = "cat /proc/sys/kernel/random/boot_id";
const REBOOT_DEADLINE_MS = 240_000;

export function trainingHost(db: Db, nodeId: string, actor: string, signal?: AbortSignal): TrainingHost {
  // Opened per use: a reboot closes the pooled connection, and the next command opens a new one.
  const host = () => openHost(db, nodeId, { actor });

  async function runRoot(script: string, purpose: string) {
    const r = await host().exec(script, { asRoot: true, signal, timeoutMs: 120_000, audit: { purpose } });
    return { code: r.code, output: `${r.stdout}${r.stderr}` };
  }

  async function observe(probeIds: readonly string[]) {
    const { probes } = await observeHost(host(), probeIds, { signal, timeoutMs: 60_000 });
    return probes;
  }

  async function bootId(): Promise<string | null> {
    try {
      const r = await host().exec(BOOT_ID, { signal, timeoutMs: 10_000 });
      return r.code === 0 ? r.stdout.trim() : null;
    } catch {
      return null;
    }
  }

  async function reboot(onProgress: (message: string) => void) {
    const before = await bootId();
    onProgress("rebooting the node (a real boot: about half a minute)");
    // The connection drops while systemctl answers: that is the reboot starting, not an error.
    await runRoot("systemctl reboot", "scenario grading: reboot").catch(() => undefined);
    closeConnection(nodeId);
    const deadline = Date.now() + REBOOT_DEADLINE_MS;
    onProgress("waiting for the node to come back");
    for (;;) {
      if (signal?.aborted) throw new Error("cancelled while waiting for the reboot");
      const now = await bootId();
      if (now && now !== before) break;
      if (Date.now() > deadline) throw new Error(`the node did not come back within ${REBOOT_DEADLINE_MS / 1000} s of the reboot`);
      closeConnection(nodeId);
      await new Promise((r) => setTimeout(r, 2000));
    }
    onProgress("the node is back (new boot id)");
  }

  return { runRoot, observe, reboot };
}
