import "server-only";
import type { Db } from "../db";

/**
 * Retention: a node's newest `keep` checks stay, older ones go (their results with them), except the
 * checks drift events and the last known state point at, so every drift keeps its evidence.
 */
export function pruneChecks(db: Db, nodeId: string, keep: number): number {
  return db
    .prepare(
      `DELETE FROM health_checks WHERE node_id = @nodeId
         AND id < (SELECT id FROM health_checks WHERE node_id = @nodeId ORDER BY id DESC LIMIT 1 OFFSET @offset)
         AND id NOT IN (SELECT check_id FROM health_drift WHERE node_id = @nodeId)
         AND id NOT IN (SELECT last_ok_check_id FROM health_drift WHERE node_id = @nodeId)
         AND id NOT IN (SELECT resolved_check_id FROM health_drift WHERE node_id = @nodeId AND resolved_check_id IS NOT NULL)
         AND id NOT IN (SELECT check_id FROM health_probe_state WHERE node_id = @nodeId)
         AND id NOT IN (SELECT last_ok_check_id FROM health_probe_state WHERE node_id = @nodeId AND last_ok_check_id IS NOT NULL)`,
    )
    .run({ nodeId, offset: keep - 1 }).changes;
}
