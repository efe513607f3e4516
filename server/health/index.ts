import "server-only";
import { observeHost, probes } from "../catalog";
import { config } from "../config";
import { db } from "../db";
import { getFacts, listNodes, recordContact } from "../nodes/repository";
import { gatherAndKeepFacts } from "../hosts/contact";
import { openHost } from "../hosts";
import { SshError } from "../ssh";
import { previousOutputs } from "./reuse";
import { BOOT_FILES } from "./scanner";
import { createHealthService, type HealthService } from "./service";

export { UnknownNodeError } from "./service";
export { getCheck, listDrift } from "./checks";
export { getScan } from "./scans";

// One health service per server process, on globalThis: every route bundle must see the running scan.
const g = globalThis as unknown as { nodeprepHealth?: HealthService };

export function health(): HealthService {
  if (!g.nodeprepHealth) {
    const database = db();
    // The node page's "reachable" / "not contacted yet" follows the scans too: what the last contact found.
    const noteReach = async <T,>(nodeId: string, work: () => Promise<T>): Promise<T> => {
      try {
        const result = await work();
        recordContact(database, nodeId, { ok: true, kind: null, message: null });
        return result;
      } catch (error) {
        if (error instanceof SshError) recordContact(database, nodeId, { ok: false, kind: error.kind, message: error.message });
        throw error;
      }
    };
    g.nodeprepHealth = createHealthService({
      db: database,
      concurrency: config().NODEPREP_SCAN_CONCURRENCY,
      listNodes: () => listNodes(database).map((n) => ({ id: n.id, name: n.name, address: n.address, port: n.port, practice: n.practice })),
      probes: () => [...probes.values()].map((p) => ({ id: p.id, title: p.title, fixStepId: p.fixStepId })),
      facts: (nodeId) => getFacts(database, nodeId),
      connect: (nodeId, signal, work) =>
        noteReach(nodeId, async () => {
          const host = openHost(database, nodeId, work);
          await host.connect(signal);
          return host;
        }),
      observe: (host, { nodeId, rerunAll, signal, timeoutMs }) =>
        noteReach(nodeId, async () => {
          const previous = rerunAll ? undefined : previousOutputs(database, nodeId);
          const { probes: results, files } = await observeHost(host, [...probes.keys()], { files: BOOT_FILES, previous, signal, timeoutMs });
          // A node added and scanned but never tested has no facts: the node page would say "No facts yet".
          if (!getFacts(database, nodeId)) await gatherAndKeepFacts(database, nodeId, host, signal);
          return { probes: results, files };
        }),
    });
  }
  return g.nodeprepHealth;
}
