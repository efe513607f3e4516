import "server-only";
import { observeHost, probes } from "../catalog";
import { config } from "../config";
import { db } from "../db";
import { getFacts, listNodes } from "../nodes/repository";
import { openHost } from "../hosts";
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
    g.nodeprepHealth = createHealthService({
      db: database,
      concurrency: config().NODEPREP_SCAN_CONCURRENCY,
      listNodes: () => listNodes(database).map((n) => ({ id: n.id, name: n.name, address: n.address, port: n.port, practice: n.practice })),
      probes: () => [...probes.values()].map((p) => ({ id: p.id, title: p.title, fixStepId: p.fixStepId })),
      facts: (nodeId) => getFacts(database, nodeId),
      connect: async (nodeId, signal, work) => {
        const host = openHost(database, nodeId, work);
        await host.connect(signal);
        return host;
      },
      observe: async (host, { nodeId, rerunAll, signal, timeoutMs }) => {
        const previous = rerunAll ? undefined : previousOutputs(database, nodeId);
        const { probes: results, files } = await observeHost(host, [...probes.keys()], { files: BOOT_FILES, previous, signal, timeoutMs });
        return { probes: results, files };
      },
    });
  }
  return g.nodeprepHealth;
}
