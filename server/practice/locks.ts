import "server-only";
import type { Db } from "../db";
import { conflict } from "../errors";

// One thing at a time per practice node: a start, stop or reset (Practice page), a scenario being set
// up or graded (with its reboot), and a run of the wizard would undo one another. Held in memory (one
// server process), on globalThis so every route bundle sees the same locks.

export interface NodeLock {
  what: string;
  by: string | null;
  since: number;
}

const g = globalThis as unknown as { nodeprepPracticeLocks?: Map<number, NodeLock> };
const locks = (g.nodeprepPracticeLocks ??= new Map());

export function lockHolder(n: number): NodeLock | null {
  return locks.get(n) ?? null;
}

/** A run of the wizard in progress on the node: resetting it now would cut the run off. */
export function runningRun(db: Db, nodeId: string): { id: string; actor: string | null } | null {
  return (
    (db
      .prepare("SELECT r.id, r.actor FROM runs r JOIN run_nodes rn ON rn.run_id = r.id WHERE r.status = 'running' AND rn.node_id = ? LIMIT 1")
      .get(nodeId) as { id: string; actor: string | null } | undefined) ?? null
  );
}

/**
 * Take the node for `what`, or 409 naming what holds it. The lock is released by the returned
 * function; `db`/`nodeId` (when the node is registered) also refuse while a run is in progress.
 */
export function lockNode(n: number, name: string, what: string, by: string | null, busy?: { db: Db; nodeId: string | null }): () => void {
  const held = locks.get(n);
  if (held) {
    const seconds = Math.round((Date.now() - held.since) / 1000);
    throw conflict(`${name} is busy: ${held.what}${held.by ? ` (by ${held.by})` : ""}, started ${seconds} s ago. Wait for it to finish.`);
  }
  if (busy?.nodeId) {
    const run = runningRun(busy.db, busy.nodeId);
    if (run) throw conflict(`a run is in progress on ${name} (run ${run.id}${run.actor ? ` by ${run.actor}` : ""}): wait for it or cancel it first`);
  }
  const lock = { what, by, since: Date.now() };
  locks.set(n, lock);
  return () => {
    if (locks.get(n) === lock) locks.delete(n);
  };
}
