import "server-only";
import type { HostFacts } from "@/lib/contracts/facts";
import type { ContactResult } from "@/lib/contracts/nodes";
import type { Db } from "../db";
import { gatherFacts } from "../facts/gather";
import { recordContact, recordOfferedKey, saveFacts } from "../nodes/repository";
import { loadTarget } from "../nodes/targets";
import { SshError, type OfferedHostKey } from "../ssh";
import type { RemoteHost } from "../ssh/types";
import { openHost } from "./index";

// Contacting a node on the tracked path: the connection test and fact gathering, each command audited;
// the node keeps what the last contact found (reachable or the failure, its facts, a key it offered).

const keyView = (k: OfferedHostKey | undefined) => (k ? { type: k.type, fingerprint: k.fingerprint, keygen: k.keygen } : null);

/** A failed check: the key the host offered is kept for the admin's decision (the audit row is the tracked path's). */
function failure(db: Db, nodeId: string, error: unknown): ContactResult {
  if (!(error instanceof SshError)) throw error;
  if ((error.kind === "host-key-unknown" || error.kind === "host-key-changed") && error.details.offered) {
    recordOfferedKey(db, nodeId, { type: error.details.offered.type, keyBase64: error.details.offered.keyBase64 });
  }
  recordContact(db, nodeId, { ok: false, kind: error.kind, message: error.message });
  return { ok: false, kind: error.kind, message: error.message, offered: keyView(error.details.offered), expected: keyView(error.details.expected) };
}

const CHECK_COMMAND = "id -un";

/**
 * "Test connection": connect (host key, credentials), run `id -un` as root through the node's
 * privilege (proving sudo works), then gather facts. Two commands on one pooled connection, each in
 * the audit log through the tracked path.
 */
export async function testConnection(db: Db, nodeId: string, actor: string | null, signal?: AbortSignal): Promise<ContactResult> {
  const target = loadTarget(db, nodeId);
  const host = openHost(db, nodeId, { actor: actor ?? "system" });
  const started = Date.now();
  try {
    const root = await host.exec(CHECK_COMMAND, { asRoot: true, signal, timeoutMs: 30_000, audit: { purpose: "connection test: does root access work?" } });
    if (root.code !== 0) {
      const message = `\`${CHECK_COMMAND}\` as root failed on ${target.address}:${target.port} (user ${target.username}) with exit ${root.code}: ${root.stderr.trim().slice(-300)}`;
      recordContact(db, nodeId, { ok: false, kind: "command-failed", message });
      return { ok: false, kind: "command-failed", message, offered: null, expected: null };
    }
    const facts = await gatherAndKeepFacts(db, nodeId, host, signal);
    recordContact(db, nodeId, { ok: true, kind: null, message: null });
    return { ok: true, loginUser: target.username, rootUser: root.stdout.trim(), durationMs: Date.now() - started, facts };
  } catch (error) {
    return failure(db, nodeId, error);
  }
}

/** Gather the node's facts over its tracked host and keep them (the connection test, Refresh facts, a scan of a node without facts). */
export async function gatherAndKeepFacts(db: Db, nodeId: string, host: RemoteHost, signal?: AbortSignal): Promise<HostFacts> {
  const facts = await gatherFacts(host, { signal });
  saveFacts(db, nodeId, facts);
  return facts;
}

/** Gather facts again (the node page's "Refresh facts"). */
export async function refreshFacts(db: Db, nodeId: string, actor: string | null, signal?: AbortSignal): Promise<ContactResult> {
  const target = loadTarget(db, nodeId);
  const host = openHost(db, nodeId, { actor: actor ?? "system" });
  const started = Date.now();
  try {
    const facts = await gatherAndKeepFacts(db, nodeId, host, signal);
    recordContact(db, nodeId, { ok: true, kind: null, message: null });
    return { ok: true, loginUser: target.username, rootUser: "not checked", durationMs: Date.now() - started, facts };
  } catch (error) {
    return failure(db, nodeId, error);
  }
}

