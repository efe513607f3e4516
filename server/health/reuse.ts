import "server-only";
import type { PreviousOutput } from "../catalog";
import type { Db } from "../db";
import { Raw } from "./rows";

/**
 * The raw outputs of the node's last reachable check that carry their inputs, by command: the next
 * scan reuses each one while its inputs read the same (catalog/inputs.ts).
 */
export function previousOutputs(db: Db, nodeId: string): Map<string, PreviousOutput> {
  const out = new Map<string, PreviousOutput>();
  const check = db.prepare("SELECT id, at FROM health_checks WHERE node_id = ? AND reachable = 1 ORDER BY id DESC LIMIT 1").get(nodeId) as
    | { id: number; at: string }
    | undefined;
  if (!check) return out;
  for (const row of db.prepare("SELECT raw FROM health_results WHERE check_id = ?").all(check.id) as { raw: string }[]) {
    for (const raw of Raw.parse(JSON.parse(row.raw))) {
      if (raw.inputs !== undefined) out.set(raw.command, { ...raw, inputs: raw.inputs, ranAt: raw.ranAt ?? check.at });
    }
  }
  return out;
}
