import "server-only";
import type { ProbeStatus } from "@/lib/contracts/catalog";

// Drift: a probe that was ok and is now warn or fail. Pure, so the rules are tested without a host or
// a database (drift.test.ts); the repository feeds it the last known state and stores what it says.

export type KnownStatus = Exclude<ProbeStatus, "unknown">;

/** The last known verdict of one probe on one node (an unknown or unreachable check leaves it alone). */
export interface ProbeState {
  status: KnownStatus;
  checkId: number;
  at: string;
  lastOkCheckId: number | null;
  lastOkAt: string | null;
  lastOkBootId: string | null;
}

export interface CheckContext {
  checkId: number;
  at: string;
  bootId: string | null;
}

export interface NewDrift {
  probeId: string;
  toStatus: "warn" | "fail";
  lastOkAt: string;
  lastOkCheckId: number;
  /** The boot id changed since the last ok check: the node rebooted in between. */
  rebooted: boolean;
}

export interface Judgement {
  /** The states to store (only probes whose state changed). */
  next: Map<string, ProbeState>;
  drift: NewDrift[];
  /** Probes whose open drift is over (ok again). */
  resolved: string[];
}

export function judgeCheck(
  previous: ReadonlyMap<string, ProbeState>,
  results: readonly { probeId: string; status: ProbeStatus }[],
  check: CheckContext,
  openDrift: ReadonlySet<string>,
): Judgement {
  const next = new Map<string, ProbeState>();
  const drift: NewDrift[] = [];
  const resolved: string[] = [];
  for (const { probeId, status } of results) {
    if (status === "unknown") continue;
    const prev = previous.get(probeId);
    if (status === "ok") {
      next.set(probeId, { status, checkId: check.checkId, at: check.at, lastOkCheckId: check.checkId, lastOkAt: check.at, lastOkBootId: check.bootId });
      if (openDrift.has(probeId)) resolved.push(probeId);
      continue;
    }
    if (prev?.status === "ok" && prev.lastOkAt !== null && prev.lastOkCheckId !== null && !openDrift.has(probeId)) {
      drift.push({
        probeId,
        toStatus: status,
        lastOkAt: prev.lastOkAt,
        lastOkCheckId: prev.lastOkCheckId,
        rebooted: !!prev.lastOkBootId && !!check.bootId && prev.lastOkBootId !== check.bootId,
      });
    }
    next.set(probeId, {
      status,
      checkId: check.checkId,
      at: check.at,
      lastOkCheckId: prev?.lastOkCheckId ?? null,
      lastOkAt: prev?.lastOkAt ?? null,
      lastOkBootId: prev?.lastOkBootId ?? null,
    });
  }
  return { next, drift, resolved };
}
