import "server-only";
import { imageHostKeys, listNodes as listLabNodes } from "@/lab/state";
import type { NodeSummary } from "@/lib/contracts/nodes";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { getNode, getSecret, insertNode, listNodes, pinHostKey, setSecret } from "../nodes/repository";
import { describePinned, parsePublicKeyLine, retireConnection, type PinnedHostKey } from "../ssh";

/**
 * The ed25519 key (the type the SSH layer asks for first) among a node's host key lines. Every
 * practice node gets its own keys from the lab when it starts (lab/identity.ts), so they are known out
 * of band, the way a provisioning system knows a host's key: the node is pinned to its own key, with no
 * trust prompt, and a key that changes behind the lab's back is still refused.
 */
export function pinnedKeyOf(lines: readonly string[]): PinnedHostKey | null {
  const line = lines.find((l) => l.startsWith("ssh-ed25519 "));
  if (!line) return null;
  const { type, keyBase64 } = parsePublicKeyLine(line);
  return { type, keyBase64 };
}

/** The key a node restored from this image presents before the lab gives it its own (the image's). */
export function practiceHostKey(imageDir: string): PinnedHostKey | null {
  return pinnedKeyOf(imageHostKeys(imageDir));
}

/**
 * Register the running practice nodes (lab/) as nodes, marked `practice`. Idempotent: a node that is
 * already registered keeps its id (and so its runs and health history); its port, key and pinned host
 * key follow the lab.
 */
export function syncPracticeNodes(db: Db): NodeSummary[] {
  const existing = new Map(listNodes(db).filter((n) => n.practice).map((n) => [n.name, n]));
  return listLabNodes().map((lab) =>
    db.transaction(() => {
      let node = existing.get(lab.name);
      if (!node) {
        node = insertNode(db, {
          name: lab.name,
          address: lab.host,
          port: lab.port,
          username: lab.user,
          authMethod: "key",
          privilege: "sudo-nopasswd",
          practice: true,
        });
        recordAudit(db, { actor: "system", action: "node-created", nodeId: node.id, detail: { name: lab.name, practice: true, port: lab.port } });
      }
      follow(db, node, lab);
      return getNode(db, node.id)!;
    })(),
  );
}

type LabNode = ReturnType<typeof listLabNodes>[number];

/** One registered practice node takes the lab's port, key file and (unless an admin decided) host key. */
function follow(db: Db, node: NodeSummary, lab: LabNode): void {
  let moved = false;
  if (node.port !== lab.port) {
    db.prepare("UPDATE nodes SET port = ?, updated_at = ? WHERE id = ?").run(lab.port, new Date().toISOString(), node.id);
    moved = true;
  }
  if (getSecret(db, node.id, "private-key") !== lab.privateKey) setSecret(db, node.id, "private-key", lab.privateKey);
  const hostKey = pinnedKeyOf(lab.hostKeys);
  // Only keys the lab itself pinned follow the lab; an admin's decision is never overwritten.
  const pinnedByLab = node.hostKey === null || node.hostKey.source === "practice-image";
  if (hostKey && pinnedByLab && node.hostKey?.fingerprint !== describePinned(hostKey).fingerprint) {
    // A reset gives the node new keys: the lab made them, so they follow without a prompt.
    pinHostKey(db, node.id, hostKey, "practice-image", "lab");
    moved = true;
  }
  // A pooled connection (and its kept shells) reached the node as it was: the next command connects anew.
  if (moved) retireConnection(node.id);
}

/**
 * Before nodeprep contacts a practice node: follow the lab, which may have reset it since (new host
 * keys, maybe a new port) from its CLI, a test or the Practice page. Other nodes are left alone.
 */
export function followLab(db: Db, nodeId: string): void {
  const node = getNode(db, nodeId);
  if (!node?.practice) return;
  const lab = listLabNodes().find((l) => l.name === node.name);
  if (lab) db.transaction(() => follow(db, node, lab))();
}
