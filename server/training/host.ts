import "server-only";
import type { ProbeResult } from "@/lib/contracts/catalog";
import { recordAudit } from "../audit/record";
import { observeHost } from "../catalog";
import type { Db } from "../db";
import { loadTarget } from "../nodes/targets";
import { closeConnection, getRemoteHost, redactor, targetSecrets } from "../ssh";

// Everything training does on a practice node goes through here: the fault's root commands, the
// grader's probes (the catalog's batch, one round trip) and its reboot. Each is recorded in the audit
// log with who caused it. One small file on purpose: when the one tracked path to a host lands
// (issue 11), this is the file that switches to it.

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
  const target = () => loadTarget(db, nodeId);
  const host = () => getRemoteHost(target());
  const clean = (text: string) => redactor(targetSecrets(target()))(text);

  async function runRoot(script: string, purpose: string) {
    const started = Date.now();
    try {
      const r = await host().exec(script, { asRoot: true, signal, timeoutMs: 120_000 });
      recordAudit(db, { actor, action: "command", nodeId, command: clean(script), exitCode: r.code, durationMs: Date.now() - started, outputBytes: r.stdout.length + r.stderr.length, detail: { purpose } });
      return { code: r.code, output: clean(`${r.stdout}${r.stderr}`) };
    } catch (error) {
      recordAudit(db, { actor, action: "command", nodeId, command: clean(script), exitCode: null, durationMs: Date.now() - started, detail: { purpose, error: (error as Error).message } });
      throw error;
    }
  }

  async function observe(probeIds: readonly string[]) {
    const started = Date.now();
    const { probes, exec, script } = await observeHost(host(), probeIds, { signal, timeoutMs: 60_000 });
    recordAudit(db, { actor, action: "command", nodeId, command: clean(script), exitCode: exec.code, durationMs: Date.now() - started, outputBytes: exec.stdout.length, detail: { purpose: "scenario grading", probes: probeIds } });
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
