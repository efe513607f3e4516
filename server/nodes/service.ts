import "server-only";
import type { HostKeyDecision, NodeInput, NodeSummary } from "@/lib/contracts/nodes";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { conflict, AppError, notFound } from "../errors";
import { retireConnection } from "../ssh";
import {
  clearHostKey,
  deleteNode,
  getNode,
  getNodeByName,
  getNodeRow,
  insertNode,
  offeredKey,
  pinHostKey,
  nodesBehind,
  nodeIdsBehind,
  setJumpNode,
  setSecret,
  updateNodeFields,
} from "./repository";

// What the Nodes API does, apart from HTTP: inventory changes and the host-key decisions, each recorded
// in the audit log with the acting user. Contacting a node (the connection test, facts) is the tracked
// path's: server/hosts/contact.ts.

type Parsed = ReturnType<typeof import("@/lib/contracts/nodes").NodeInput.parse>;

function storeSecrets(db: Db, id: string, input: Parsed, creating: boolean) {
  const { auth, privilege } = input;
  if (auth.method === "key") {
    if (auth.privateKey) {
      setSecret(db, id, "private-key", auth.privateKey);
      setSecret(db, id, "passphrase", auth.passphrase ? auth.passphrase : null);
    } else if (auth.passphrase !== undefined) setSecret(db, id, "passphrase", auth.passphrase || null);
    setSecret(db, id, "password", null);
  } else if (auth.method === "password") {
    if (auth.password) setSecret(db, id, "password", auth.password);
    setSecret(db, id, "private-key", null);
    setSecret(db, id, "passphrase", null);
  } else {
    for (const f of ["private-key", "passphrase", "password"] as const) setSecret(db, id, f, null);
  }
  if (privilege.kind === "sudo-password") {
    if (privilege.password) setSecret(db, id, "sudo-password", privilege.password);
  } else setSecret(db, id, "sudo-password", null);
  void creating;
}

function requireSecrets(db: Db, id: string, input: Parsed) {
  const node = getNode(db, id)!;
  if (input.auth.method === "key" && !node.secrets.privateKey) throw new AppError("invalid_input", "auth.privateKey: paste or upload the private key", { field: "auth.privateKey" });
  if (input.auth.method === "password" && !node.secrets.password) throw new AppError("invalid_input", "auth.password: enter the password", { field: "auth.password" });
  if (input.privilege.kind === "sudo-password" && !node.secrets.sudoPassword)
    throw new AppError("invalid_input", "privilege.password: enter the sudo password", { field: "privilege.password" });
}

/**
 * The jump host a node may use: another node of the inventory, reached directly itself (one hop, so
 * no chains and no loops). An edit may not give a jump host to a node that others go through.
 */
function checkJump(db: Db, id: string | null, jumpNodeId: string | null | undefined): string | null {
  if (!jumpNodeId) return null;
  const jump = getNodeRow(db, jumpNodeId);
  if (!jump) throw new AppError("invalid_input", "jumpNodeId: no such node", { field: "jumpNodeId" });
  if (jump.id === id) throw new AppError("invalid_input", "jumpNodeId: a node cannot be its own jump host", { field: "jumpNodeId" });
  if (jump.jump_node_id) throw new AppError("invalid_input", `jumpNodeId: ${jump.name} is itself reached through a jump host; a jump host must be reached directly`, { field: "jumpNodeId" });
  const behind = id ? nodesBehind(db, id) : [];
  if (behind.length) throw new AppError("invalid_input", `jumpNodeId: ${behind.join(", ")} ${behind.length === 1 ? "goes" : "go"} through this node, so it must be reached directly`, { field: "jumpNodeId" });
  return jump.id;
}

export function createNode(db: Db, input: Parsed, actor: string | null): NodeSummary {
  if (getNodeByName(db, input.name)) throw new AppError("conflict", `a node named ${input.name} already exists`, { field: "name" });
  const node = db.transaction(() => {
    const created = insertNode(db, {
      name: input.name,
      address: input.address,
      port: input.port,
      username: input.username,
      authMethod: input.auth.method,
      privilege: input.privilege.kind,
      practice: false,
    });
    storeSecrets(db, created.id, input, true);
    requireSecrets(db, created.id, input);
    setJumpNode(db, created.id, checkJump(db, created.id, input.jumpNodeId));
    recordAudit(db, {
      actor,
      action: "node-created",
      nodeId: created.id,
      detail: { name: input.name, address: input.address, port: input.port, username: input.username, auth: input.auth.method, privilege: input.privilege.kind, jumpNodeId: input.jumpNodeId ?? null },
    });
    return getNode(db, created.id)!;
  })();
  return node;
}

export function updateNode(db: Db, id: string, input: Parsed, actor: string | null): NodeSummary {
  const before = getNode(db, id);
  if (!before) throw notFound(`node ${id}`);
  if (before.practice) throw conflict(`${before.name} is a practice node managed by the lab; it cannot be edited`);
  const other = getNodeByName(db, input.name);
  if (other && other.id !== id) throw new AppError("conflict", `a node named ${input.name} already exists`, { field: "name" });
  const jumpNodeId = checkJump(db, id, input.jumpNodeId);
  // Another address, or the same address seen from another jump host, is another host.
  const moved = before.address !== input.address || before.port !== input.port || before.jumpNodeId !== jumpNodeId;
  const node = db.transaction(() => {
    updateNodeFields(db, id, {
      name: input.name,
      address: input.address,
      port: input.port,
      username: input.username,
      authMethod: input.auth.method,
      privilege: input.privilege.kind,
    });
    storeSecrets(db, id, input, false);
    requireSecrets(db, id, input);
    setJumpNode(db, id, jumpNodeId);
    // Another host: its key must be trusted afresh, not compared with this one.
    if (moved) clearHostKey(db, id);
    recordAudit(db, {
      actor,
      action: "node-updated",
      nodeId: id,
      detail: {
        name: input.name,
        address: input.address,
        port: input.port,
        username: input.username,
        auth: input.auth.method,
        privilege: input.privilege.kind,
        jumpNodeId,
        hostKeyCleared: moved && before.hostKey !== null,
        secretsChanged: [
          input.auth.method === "key" && input.auth.privateKey ? "private-key" : null,
          input.auth.method === "password" && input.auth.password ? "password" : null,
          input.privilege.kind === "sudo-password" && input.privilege.password ? "sudo-password" : null,
        ].filter(Boolean),
      },
    });
    return getNode(db, id)!;
  })();
  retire(db, id);
  return node;
}

/**
 * The node's settings changed (address, credentials, host key) or it is gone: its pooled connection and
 * kept shells end now, and so do those of the nodes reached through it; handles made before refuse.
 */
function retire(db: Db, id: string) {
  for (const behind of nodeIdsBehind(db, id)) retireConnection(behind);
  retireConnection(id);
}

export function removeNode(db: Db, id: string, actor: string | null): void {
  const node = getNode(db, id);
  if (!node) throw notFound(`node ${id}`);
  const behind = nodeIdsBehind(db, id);
  db.transaction(() => {
    deleteNode(db, id);
    recordAudit(db, { actor, action: "node-removed", nodeId: id, detail: { name: node.name, address: node.address, port: node.port } });
  })();
  for (const b of behind) retireConnection(b);
  retireConnection(id);
}

/**
 * Trust the key a host offered on first contact, or replace a pinned key that changed. The admin
 * names the fingerprint they saw; if the host offered another key since, nothing is trusted.
 */
export function decideHostKey(db: Db, nodeId: string, decision: HostKeyDecision, actor: string | null): NodeSummary {
  const row = getNodeRow(db, nodeId);
  if (!row) throw notFound(`node ${nodeId}`);
  const node = getNode(db, nodeId)!;
  const offered = offeredKey(row);
  if (!offered || !node.offeredHostKey) throw conflict(`no host key of ${node.name} is waiting for a decision: run Test connection first`);
  if (node.offeredHostKey.fingerprint !== decision.fingerprint) {
    throw conflict(`${node.name} now offers ${node.offeredHostKey.fingerprint}, not ${decision.fingerprint}: compare the new fingerprint before deciding`);
  }
  if (decision.action === "trust" && node.hostKey) {
    throw conflict(`${node.name} already trusts ${node.hostKey.fingerprint}; a different key needs "replace key"`);
  }
  if (decision.action === "replace" && !node.hostKey) throw conflict(`${node.name} has no trusted key to replace; use "trust"`);
  db.transaction(() => {
    pinHostKey(db, nodeId, offered, "operator", actor);
    recordAudit(db, {
      actor,
      action: decision.action === "trust" ? "host-key-trusted" : "host-key-replaced",
      nodeId,
      detail: {
        address: `${node.address}:${node.port}`,
        type: offered.type,
        fingerprint: node.offeredHostKey!.fingerprint,
        ...(node.hostKey ? { previousFingerprint: node.hostKey.fingerprint } : {}),
      },
    });
  })();
  retire(db, nodeId);
  return getNode(db, nodeId)!;
}

export type { NodeInput };
