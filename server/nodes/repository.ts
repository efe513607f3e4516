import "server-only";
import { randomUUID } from "node:crypto";
import { HostFacts } from "@/lib/contracts/facts";
import type { AuthMethod, NodeSummary, PrivilegeKind } from "@/lib/contracts/nodes";
import type { Db } from "../db";
import { openSecret, sealSecret } from "../secrets";
import { describePinned, type PinnedHostKey } from "../ssh";

export type SecretField = "private-key" | "passphrase" | "password" | "sudo-password";

export interface NodeRow {
  id: string;
  name: string;
  address: string;
  port: number;
  username: string;
  auth_method: AuthMethod;
  privilege: PrivilegeKind;
  practice: number;
  created_at: string;
  updated_at: string;
  host_key_type: string | null;
  host_key: string | null;
  host_key_source: "operator" | "practice-image" | null;
  host_key_trusted_at: string | null;
  host_key_trusted_by: string | null;
  offered_host_key_type: string | null;
  offered_host_key: string | null;
  offered_at: string | null;
  last_check_at: string | null;
  last_check_ok: number | null;
  last_check_kind: string | null;
  last_check_message: string | null;
  jump_node_id: string | null;
}

const view = (k: PinnedHostKey) => {
  const d = describePinned(k);
  return { type: d.type, fingerprint: d.fingerprint, keygen: d.keygen };
};

export function pinnedKey(r: NodeRow): PinnedHostKey | null {
  return r.host_key_type && r.host_key ? { type: r.host_key_type, keyBase64: r.host_key } : null;
}
export function offeredKey(r: NodeRow): PinnedHostKey | null {
  return r.offered_host_key_type && r.offered_host_key ? { type: r.offered_host_key_type, keyBase64: r.offered_host_key } : null;
}

function toSummary(db: Db, r: NodeRow): NodeSummary {
  const pinned = pinnedKey(r);
  const offered = offeredKey(r);
  const fields = new Set(db.prepare("SELECT field FROM node_secrets WHERE node_id = ?").pluck().all(r.id) as SecretField[]);
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    port: r.port,
    username: r.username,
    authMethod: r.auth_method,
    privilege: r.privilege,
    practice: r.practice === 1,
    jumpNodeId: r.jump_node_id,
    jumpNodeName: r.jump_node_id ? ((db.prepare("SELECT name FROM nodes WHERE id = ?").pluck().get(r.jump_node_id) as string | undefined) ?? null) : null,
    hostKeyStatus: pinned ? (offered ? "changed" : "trusted") : offered ? "untrusted" : "never-contacted",
    hostKey: pinned
      ? { ...view(pinned), source: r.host_key_source ?? "operator", trustedAt: r.host_key_trusted_at, trustedBy: r.host_key_trusted_by }
      : null,
    offeredHostKey: offered ? { ...view(offered), seenAt: r.offered_at ?? r.updated_at } : null,
    lastContact: r.last_check_at
      ? { at: r.last_check_at, ok: r.last_check_ok === 1, kind: r.last_check_kind, message: r.last_check_message }
      : null,
    secrets: {
      privateKey: fields.has("private-key"),
      passphrase: fields.has("passphrase"),
      password: fields.has("password"),
      sudoPassword: fields.has("sudo-password"),
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function getNodeRow(db: Db, id: string): NodeRow | null {
  return (db.prepare("SELECT * FROM nodes WHERE id = ?").get(id) as NodeRow | undefined) ?? null;
}

export function listNodes(db: Db): NodeSummary[] {
  return (db.prepare("SELECT * FROM nodes ORDER BY practice DESC, name").all() as NodeRow[]).map((r) => toSummary(db, r));
}

export function getNode(db: Db, id: string): NodeSummary | null {
  const row = getNodeRow(db, id);
  return row ? toSummary(db, row) : null;
}

export function getNodeByName(db: Db, name: string): NodeSummary | null {
  const row = db.prepare("SELECT * FROM nodes WHERE name = ?").get(name) as NodeRow | undefined;
  return row ? toSummary(db, row) : null;
}

export interface NewNode {
  name: string;
  address: string;
  port: number;
  username: string;
  authMethod: AuthMethod;
  privilege: PrivilegeKind;
  practice: boolean;
}

export function insertNode(db: Db, node: NewNode): NodeSummary {
  const now = new Date().toISOString();
  const id = randomUUID();
  db.prepare(
    `INSERT INTO nodes (id, name, address, port, username, auth_method, privilege, practice, created_at, updated_at)
     VALUES (@id, @name, @address, @port, @username, @authMethod, @privilege, @practice, @now, @now)`,
  ).run({ ...node, id, practice: node.practice ? 1 : 0, now });
  return getNode(db, id)!;
}

export function updateNodeFields(db: Db, id: string, fields: Partial<Omit<NewNode, "practice">>): void {
  const now = new Date().toISOString();
  db.prepare(
    `UPDATE nodes SET name = COALESCE(@name, name), address = COALESCE(@address, address), port = COALESCE(@port, port),
       username = COALESCE(@username, username), auth_method = COALESCE(@authMethod, auth_method),
       privilege = COALESCE(@privilege, privilege), updated_at = @now WHERE id = @id`,
  ).run({ name: null, address: null, port: null, username: null, authMethod: null, privilege: null, ...fields, id, now });
}

/** Reach the node through another node (null: directly). */
export function setJumpNode(db: Db, id: string, jumpNodeId: string | null): void {
  db.prepare("UPDATE nodes SET jump_node_id = ? WHERE id = ?").run(jumpNodeId, id);
}

/** The nodes that are reached through this one. */
export function nodesBehind(db: Db, jumpNodeId: string): string[] {
  return db.prepare("SELECT name FROM nodes WHERE jump_node_id = ? ORDER BY name").pluck().all(jumpNodeId) as string[];
}

/** The ids of the nodes reached through this one. */
export function nodeIdsBehind(db: Db, jumpNodeId: string): string[] {
  return db.prepare("SELECT id FROM nodes WHERE jump_node_id = ?").pluck().all(jumpNodeId) as string[];
}

export function deleteNode(db: Db, id: string): boolean {
  return db.prepare("DELETE FROM nodes WHERE id = ?").run(id).changes > 0;
}

// Secrets: sealed with the node id and field as associated data (server/secrets).
const context = (nodeId: string, field: SecretField) => `node:${nodeId}:${field}`;

export function setSecret(db: Db, nodeId: string, field: SecretField, value: string | null): void {
  if (value === null) {
    db.prepare("DELETE FROM node_secrets WHERE node_id = ? AND field = ?").run(nodeId, field);
    return;
  }
  db.prepare(
    `INSERT INTO node_secrets (node_id, field, sealed, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (node_id, field) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
  ).run(nodeId, field, sealSecret(value, context(nodeId, field)), new Date().toISOString());
}

export function getSecret(db: Db, nodeId: string, field: SecretField): string | null {
  const sealed = db.prepare("SELECT sealed FROM node_secrets WHERE node_id = ? AND field = ?").pluck().get(nodeId, field) as string | undefined;
  return sealed === undefined ? null : openSecret(sealed, context(nodeId, field));
}

// Host keys.
export function pinHostKey(db: Db, id: string, key: PinnedHostKey, source: "operator" | "practice-image", by: string | null): void {
  db.prepare(
    `UPDATE nodes SET host_key_type = ?, host_key = ?, host_key_source = ?, host_key_trusted_at = ?, host_key_trusted_by = ?,
       offered_host_key_type = NULL, offered_host_key = NULL, offered_at = NULL WHERE id = ?`,
  ).run(key.type, key.keyBase64, source, new Date().toISOString(), by, id);
}

export function clearHostKey(db: Db, id: string): void {
  db.prepare(
    `UPDATE nodes SET host_key_type = NULL, host_key = NULL, host_key_source = NULL, host_key_trusted_at = NULL, host_key_trusted_by = NULL,
       offered_host_key_type = NULL, offered_host_key = NULL, offered_at = NULL WHERE id = ?`,
  ).run(id);
}

export function recordOfferedKey(db: Db, id: string, key: PinnedHostKey | null): void {
  db.prepare("UPDATE nodes SET offered_host_key_type = ?, offered_host_key = ?, offered_at = ? WHERE id = ?").run(
    key?.type ?? null,
    key?.keyBase64 ?? null,
    key ? new Date().toISOString() : null,
    id,
  );
}

export function recordContact(db: Db, id: string, contact: { ok: boolean; kind: string | null; message: string | null }): void {
  db.prepare("UPDATE nodes SET last_check_at = ?, last_check_ok = ?, last_check_kind = ?, last_check_message = ? WHERE id = ?").run(
    new Date().toISOString(),
    contact.ok ? 1 : 0,
    contact.kind,
    contact.message,
    id,
  );
}

// Facts.
export function saveFacts(db: Db, nodeId: string, facts: HostFacts): void {
  db.prepare(
    `INSERT INTO node_facts (node_id, facts, gathered_at) VALUES (?, ?, ?)
     ON CONFLICT (node_id) DO UPDATE SET facts = excluded.facts, gathered_at = excluded.gathered_at`,
  ).run(nodeId, JSON.stringify(facts), facts.gatheredAt);
}

export function getFacts(db: Db, nodeId: string): HostFacts | null {
  const raw = db.prepare("SELECT facts FROM node_facts WHERE node_id = ?").pluck().get(nodeId) as string | undefined;
  if (raw === undefined) return null;
  const parsed = HostFacts.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null; // facts from an older schema: gather again
}
