import "server-only";
import type { Db } from "../db";

/**
 * A scenario attempt cannot survive its node being reset or stopped under it: a check would grade a
 * fresh node. The practice service abandons them before any operation on the node, and training does
 * the same when a new attempt takes the node over. Here, in practice, so practice needs nothing of
 * training (which builds on practice).
 */
export function abandonOpenAttempts(db: Db, nodeId: string): number {
  return db.prepare("UPDATE scenario_attempts SET state = 'abandoned' WHERE node_id = ? AND state IN ('preparing', 'ready')").run(nodeId).changes;
}
