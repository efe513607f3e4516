import "server-only";
import type { ScanNodeState } from "@/lib/contracts/health";
import type { ObservationResult } from "../catalog";
import type { FileState } from "../catalog/types";
import { SshError, type RemoteHost } from "../ssh/types";
import { forEachLimited } from "../util/limited";
import type { CheckOutcome } from "./checks";

// The scanner: every probe of a node in ONE round trip, nodes in parallel with a bounded concurrency,
// and a deadline per node so a frozen or silent host never holds the others. It knows
// nothing of SQLite or the pool: the service (index.ts) passes in how to connect, observe and store.

export const BOOT_ID_FILE = "/proc/sys/kernel/random/boot_id";
export const UPTIME_FILE = "/proc/uptime";
/** Read in the same script as the probes: a changed boot id between two checks means a reboot. */
export const BOOT_FILES = [BOOT_ID_FILE, UPTIME_FILE] as const;

export interface ScannerDeps {
  /**
   * A connected host for the node, on the tracked path (server/hosts) for this scan and who asked for
   * it (throws SshError when it cannot be reached, or any Error when it cannot even be tried).
   */
  connect(nodeId: string, signal: AbortSignal, work: { actor: string; scanId: string }): Promise<RemoteHost>;
  /** All the probes and the boot files in one remote script (reusing unchanged outputs unless rerunAll). */
  observe(host: RemoteHost, opts: { nodeId: string; rerunAll: boolean; signal: AbortSignal; timeoutMs: number }): Promise<ObservationResult>;
  now?: () => number;
}

export interface ScanNode {
  id: string;
  name: string;
}

export interface ScanOptions {
  /** Who asked for the scan, and its id: every command of it is audited under them. */
  work: { actor: string; scanId: string };
  concurrency: number;
  perNodeTimeoutMs: number;
  /** Run every probe command, even those whose inputs are unchanged since their last output. */
  rerunAll?: boolean;
  /** Stops every node still running (its check is recorded as unreachable: aborted). */
  signal?: AbortSignal;
  onProgress(nodeId: string, state: ScanNodeState, extra?: { message?: string; durationMs?: number; checkId?: number }): void;
  /** Store the check; returns its id. */
  record(node: ScanNode, at: string, outcome: CheckOutcome): number;
}

export function bootInfo(files: Record<string, FileState>, at: number): { bootId: string | null; bootedAt: string | null } {
  const id = files[BOOT_ID_FILE];
  const up = files[UPTIME_FILE];
  const bootId = id?.kind === "file" && /^[0-9a-f-]{36}$/.test(id.content.trim()) ? id.content.trim() : null;
  const seconds = up?.kind === "file" ? Number(up.content.trim().split(/\s+/)[0]) : NaN;
  // Whole seconds: two checks of the same boot then agree on the boot time despite clock jitter.
  const bootedAt = Number.isFinite(seconds) ? new Date(Math.round((at - seconds * 1000) / 1000) * 1000).toISOString() : null;
  return { bootId, bootedAt };
}

class Deadline extends Error {}

export function describeFailure(error: unknown, node: ScanNode, timeoutMs: number, deadline: boolean): { errorKind: string; message: string } {
  if (deadline) return { errorKind: "timeout", message: `${node.name} did not answer within ${timeoutMs / 1000} s (the other nodes were not held up)` };
  if (error instanceof SshError) return { errorKind: error.kind, message: error.message };
  if (error instanceof Error) return { errorKind: "error", message: `${node.name}: ${error.message}` };
  return { errorKind: "error", message: `${node.name}: ${String(error)}` };
}

/** One node: connect, observe, judge; never throws (a failure is an unreachable outcome). */
async function scanOne(node: ScanNode, deps: ScannerDeps, opts: ScanOptions): Promise<void> {
  const now = deps.now ?? Date.now;
  const started = now();
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(new Error("scan cancelled"));
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  // Even a host layer that ignores the signal cannot hold this node past its deadline.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Deadline());
      reject(new Deadline());
    }, opts.perNodeTimeoutMs);
  });
  deadline.catch(() => undefined);
  let outcome: CheckOutcome;
  try {
    opts.onProgress(node.id, "connecting");
    const host = await Promise.race([deps.connect(node.id, controller.signal, opts.work), deadline]);
    opts.onProgress(node.id, "probing");
    // The host layer's own timeout a little later than the deadline: the outcome (and its message)
    // is then always the scanner's "did not answer within N s", whatever finished first.
    const remaining = Math.max(1, opts.perNodeTimeoutMs - (now() - started)) + 1_000;
    const obs = await Promise.race([deps.observe(host, { nodeId: node.id, rerunAll: opts.rerunAll ?? false, signal: controller.signal, timeoutMs: remaining }), deadline]);
    const at = now();
    outcome = { reach: "reachable", results: obs.probes, ...bootInfo(obs.files, at), durationMs: at - started };
  } catch (error) {
    outcome = { reach: "unreachable", ...describeFailure(error, node, opts.perNodeTimeoutMs, timedOut), durationMs: now() - started };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
  let checkId: number | undefined;
  try {
    checkId = opts.record(node, new Date(now()).toISOString(), outcome);
  } catch (error) {
    console.error("[health] storing the check of", node.name, "failed:", error);
  }
  opts.onProgress(node.id, outcome.reach === "reachable" ? "done" : "unreachable", {
    message: outcome.reach === "unreachable" ? outcome.message : undefined,
    durationMs: Math.round(outcome.durationMs),
    checkId,
  });
}

/** Scan the nodes with at most `concurrency` at once; resolves when every node has an outcome. */
export function scanNodes(nodes: readonly ScanNode[], deps: ScannerDeps, opts: ScanOptions): Promise<void> {
  return forEachLimited(nodes, opts.concurrency, (n) => scanOne(n, deps, opts));
}
