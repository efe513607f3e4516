import "server-only";
import type { Db } from "../db";
import { loadTarget } from "../nodes/targets";
import { getRemoteHost, targetSecrets } from "../ssh";
import { trackHost, type HostWork, type TrackedHost } from "./tracked-host";

export { isConnectionRefusal, trackHost, type CommandEvents, type HostContext, type HostWork, type RunningCommand, type TrackedHost } from "./tracked-host";

/**
 * The tracked path to a node of the inventory: its target (secrets decrypted, host key pinned, jump host
 * included) behind the audit, events and redaction of trackHost. The only way from a node id to a host.
 */
export function openHost(db: Db, nodeId: string, work: HostWork): TrackedHost {
  const target = loadTarget(db, nodeId);
  return trackHost(getRemoteHost(target), {
    ...work,
    db,
    node: { id: target.nodeId, name: target.name },
    secrets: targetSecrets(target),
    via: target.jump ? { id: target.jump.nodeId, name: target.jump.name } : null,
  });
}
