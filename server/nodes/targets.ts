import "server-only";
import type { Db } from "../db";
import { AppError, notFound } from "../errors";
import { SecretError } from "../secrets";
import type { HostAuth, NodeTarget, Privilege } from "../ssh";
import { dashboardPrivateKey } from "./dashboard-key";
import { getNodeRow, getSecret, pinnedKey } from "./repository";

/**
 * Everything the SSH layer needs to reach a node, secrets decrypted. Server-side only: a NodeTarget
 * never leaves the process (not in responses, not in logs).
 */
export function loadTarget(db: Db, nodeId: string): NodeTarget {
  try {
    return load(db, nodeId);
  } catch (error) {
    if (error instanceof SecretError) throw new AppError("secret_unreadable", `a stored secret of node ${nodeId} cannot be opened: ${error.message}`);
    throw error;
  }
}

function load(db: Db, nodeId: string, hop = 0): NodeTarget {
  const row = getNodeRow(db, nodeId);
  if (!row) throw notFound(`node ${nodeId}`);
  const missing = (what: string) => new AppError("secret_missing", `node ${row.name} has no ${what} stored: edit the node and enter it`);
  let auth: HostAuth;
  switch (row.auth_method) {
    case "key": {
      const privateKey = getSecret(db, nodeId, "private-key");
      if (!privateKey) throw missing("private key");
      auth = { kind: "key", privateKey, passphrase: getSecret(db, nodeId, "passphrase") ?? undefined };
      break;
    }
    case "password": {
      const password = getSecret(db, nodeId, "password");
      if (!password) throw missing("password");
      auth = { kind: "password", password };
      break;
    }
    case "dashboard-key":
      auth = { kind: "key", privateKey: dashboardPrivateKey(db) };
      break;
  }
  let privilege: Privilege;
  if (row.privilege === "sudo-password") {
    const password = getSecret(db, nodeId, "sudo-password");
    if (!password) throw missing("sudo password");
    privilege = { kind: "sudo-password", password };
  } else privilege = { kind: row.privilege };
  return {
    nodeId: row.id,
    name: row.name,
    address: row.address,
    port: row.port,
    username: row.username,
    auth,
    privilege,
    hostKey: pinnedKey(row),
    // One hop (the service refuses chains); the bound keeps a hand-edited database from looping.
    jump: row.jump_node_id && hop === 0 ? load(db, row.jump_node_id, hop + 1) : null,
  };
}
