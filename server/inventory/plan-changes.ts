import "server-only";
import type { Db } from "../db";
import { getSecret } from "../nodes/repository";
import { describePinned } from "../ssh";
import type { Desired } from "./plan-host";

// What an import changes on a node nodeprep already has: connection, secrets, groups of the file,
// the pinned host key (a new route forgets it); a practice node's connection is the lab's.

/** Fills in the host's changes, notes, problems and status; drops a pin that would change nothing. */
export function describeChanges(db: Db, d: Desired, fileGroupsOfNode: (nodeId: string) => string[]): void {
  const e = d.existing;
  const h = d.host;
  const wantGroups = new Set(h.groups);
  if (!e) {
    if (!h.hostKey) h.notes.push("known_hosts does not know this host: trust its key at its first Test connection");
    return;
  }
  const c = h.changes;
  if (e.address !== h.address) c.push(`address: ${e.address} -> ${h.address}`);
  if (e.port !== h.port) c.push(`port: ${e.port} -> ${h.port}`);
  if (e.username !== h.username) c.push(`user: ${e.username} -> ${h.username}`);
  if (e.authMethod !== h.authMethod) c.push(`authentication: ${e.authMethod} -> ${h.authMethod}`);
  else if (d.privateKey !== undefined && getSecret(db, e.id, "private-key") !== d.privateKey) c.push("private key: replaced by the uploaded file");
  else if (d.password !== undefined && getSecret(db, e.id, "password") !== d.password) c.push("password: replaced");
  if (e.privilege !== h.privilege) c.push(`privilege: ${e.privilege} -> ${h.privilege}`);
  else if (d.sudoPassword !== undefined && getSecret(db, e.id, "sudo-password") !== d.sudoPassword) c.push("sudo password: replaced");
  if ((e.jumpNodeName ?? null) !== h.jumpHost) c.push(`jump host: ${e.jumpNodeName ?? "none"} -> ${h.jumpHost ?? "none"}`);
  const connectionChanged = c.length > 0;
  const had = new Set(fileGroupsOfNode(e.id));
  const plus = [...wantGroups].filter((g) => !had.has(g));
  const minus = [...had].filter((g) => !wantGroups.has(g));
  if (plus.length || minus.length) c.push(`groups: ${[...plus.map((g) => `+${g}`), ...minus.map((g) => `-${g}`)].join(" ")}`);
  const moved = e.address !== h.address || e.port !== h.port || (e.jumpNodeName ?? null) !== h.jumpHost;
  if (d.pin) {
    const fp = describePinned(d.pin).fingerprint;
    if (!e.hostKey || moved) c.push(`host key: pin ${fp} from known_hosts`);
    else if (e.hostKey.fingerprint !== fp) {
      h.notes.push(`known_hosts has ${fp}, the pinned key is ${e.hostKey.fingerprint}: the pinned key is kept (if the host's key really changed, replace it on the node's page)`);
      d.pin = null;
    } else d.pin = null;
  }
  if (!d.pin) {
    h.hostKey = null;
    if (moved && e.hostKey) c.push("host key: forgotten (another address or route is another host: trust its key again)");
  }
  if (e.practice && connectionChanged) h.problems.push(`${e.name} is a practice node managed by the lab: its address, user and credentials come from the lab`);
  h.status = c.length ? "changed" : "unchanged";
}
