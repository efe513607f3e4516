import "server-only";
import type { Db } from "../db";
import { loadTarget } from "../nodes/targets";
import { followLab } from "../practice/sync";
import { recordAudit } from "../audit/record";
import { getRemoteHost, targetSecrets, type OnTunnel } from "../ssh";
import { trackHost, type HostWork, type TrackedHost } from "./tracked-host";

export { isConnectionRefusal, trackHost, type CommandEvents, type HostContext, type HostWork, type RunningCommand, type TrackedHost, type TrackedShell } from "./tracked-host";

/**
 * The tracked path to a node of the inventory: its target (secrets decrypted, host key pinned, jump host
 * included) behind the audit, events and redaction of trackHost. The only way from a node id to a host.
 */
export function openHost(db: Db, nodeId: string, work: HostWork): TrackedHost {
  followLab(db, nodeId);
  const target = loadTarget(db, nodeId);
  // A node behind a jump host: the TCP channel opened on the jump host for it is in the jump host's
  // own log (sshd's direct-tcpip), so in the audit log too, on the jump node.
  const onTunnel: OnTunnel = (t) =>
    recordAudit(db, {
      actor: work.actor,
      action: "jump-tunnel",
      nodeId: t.jumpNodeId,
      runId: work.runId ?? null,
      scanId: work.scanId ?? null,
      command: `direct-tcpip to ${t.address}:${t.port} (for ${target.name})`,
      detail: { for: { nodeId: target.nodeId, name: target.name } },
    });
  return trackHost(getRemoteHost(target, { onTunnel }), {
    ...work,
    db,
    node: { id: target.nodeId, name: target.name },
    secrets: targetSecrets(target),
    via: target.jump ? { id: target.jump.nodeId, name: target.jump.name } : null,
  });
}
