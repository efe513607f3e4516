import "server-only";
import { applyArtifactAction } from "../artifacts";
import { getProbe, steps } from "../catalog";
import { db } from "../db";
import { gatherFacts } from "../facts/gather";
import { openHost } from "../hosts";
import { getNode, recordContact, saveFacts } from "../nodes/repository";
import { createEngine, type Engine } from "./engine";

export { RunConflictError } from "./repository";
export { UnknownInputError } from "./engine";

// One engine per server process, on globalThis: every route bundle must see the same active runs.
const g = globalThis as unknown as { nodeprepEngine?: Engine };

export function engine(): Engine {
  if (!g.nodeprepEngine) {
    const database = db();
    g.nodeprepEngine = createEngine({
      db: database,
      catalog: { steps, getProbe },
      describeNode: (id) => {
        const n = getNode(database, id);
        return n ? { id: n.id, name: n.name } : null;
      },
      openHost: (nodeId, work) => openHost(database, nodeId, work),
      gatherFacts: async (host, { nodeId, ...opts }) => {
        const facts = await gatherFacts(host, opts);
        // A run reached the host and learnt its facts: the node page says so ("reachable", the facts).
        saveFacts(database, nodeId, facts);
        recordContact(database, nodeId, { ok: true, kind: null, message: null });
        return facts;
      },
      applyArtifact: (host, action, opts) => applyArtifactAction(host, action, opts),
    });
  }
  return g.nodeprepEngine;
}
