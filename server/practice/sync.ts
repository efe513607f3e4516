import "server-only";
import { listNodes as listLabNodes } from "@/lab/state";
import type { NodeSummary } from "@/lib/contracts/nodes";
import type { Db } from "../db";
import { insertNode, listNodes } from "../nodes/repository";

/**
 * Register the running practice nodes (lab/) as nodes, marked `practice`. Idempotent: a node that is
 * already registered keeps its id (and so its runs and health history); only its port follows the lab.
 */
export function syncPracticeNodes(db: Db): NodeSummary[] {
  const existing = new Map(listNodes(db).filter((n) => n.practice).map((n) => [n.name, n]));
  return listLabNodes().map((lab) => {
    const known = existing.get(lab.name);
    if (known) {
      if (known.port !== lab.port) {
        db.prepare("UPDATE nodes SET port = ?, updated_at = ? WHERE id = ?").run(lab.port, new Date().toISOString(), known.id);
      }
      return { ...known, port: lab.port };
    }
    return insertNode(db, {
      name: lab.name,
      address: lab.host,
      port: lab.port,
      username: lab.user,
      authMethod: "key",
      privilege: "sudo-nopasswd",
      practice: true,
    });
  });
}
