import "server-only";
import type { ImportPreview, InventoryImportBody } from "@/lib/contracts/inventory";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { AppError } from "../errors";
import { insertGroup, listGroups, setGroupContents } from "../groups/repository";
import { clearHostKey, listNodes, pinHostKey, setJumpNode } from "../nodes/repository";
import { createNode, updateNode } from "../nodes/service";
import { InventoryError, resolve } from "./model";
import { parseInventory } from "./parse";
import { plan, type Body } from "./plan";

// An inventory import in two calls: preview (what would be added, changed, left alone; nothing stored)
// and apply (that same preview, named by its fingerprint, in one transaction, or nothing). A second
// import of the same file previews everything as unchanged and changes nothing.

function asBadRequest(error: unknown): never {
  if (error instanceof InventoryError) throw new AppError("invalid_inventory", `inventory: ${error.message}`, { field: "inventory" });
  throw error;
}

/** What the import would do; stores nothing. */
export function previewImport(db: Db, body: Body): ImportPreview {
  try {
    return plan(db, body).preview;
  } catch (error) {
    asBadRequest(error);
  }
}

/** Apply the previewed import: everything in one transaction, or nothing. */
export function applyImport(db: Db, body: Body & { fingerprint: string }, actor: string | null): { preview: ImportPreview; created: number; updated: number } {
  try {
    return db.transaction(() => {
      const { preview, desired } = plan(db, body);
      if (preview.fingerprint !== body.fingerprint) {
        throw new AppError("preview_stale", "the nodes or the files changed since the preview: preview again, then import");
      }
      if (!preview.ready) {
        const first = [...preview.hosts.flatMap((h) => h.problems.map((p) => `${h.name}: ${p}`)), ...preview.groups.flatMap((g) => g.problems)][0];
        throw new AppError("invalid_inventory", `inventory: nothing was imported: ${first}`, { field: "inventory" });
      }
      let created = 0;
      let updated = 0;
      for (const d of desired) {
        const h = d.host;
        if (h.status === "changed") updated++;
        const connection = h.changes.some((c) => !c.startsWith("groups:") && !c.startsWith("host key:"));
        if (d.existing && (d.existing.practice || !connection)) continue;
        const input = {
          name: h.name,
          address: h.address,
          port: h.port,
          username: h.username,
          auth:
            h.authMethod === "key"
              ? { method: "key" as const, ...(d.privateKey ? { privateKey: d.privateKey, passphrase: "" } : {}) }
              : h.authMethod === "password"
                ? { method: "password" as const, ...(d.password ? { password: d.password } : {}) }
                : { method: "dashboard-key" as const },
          privilege: h.privilege === "sudo-password" ? { kind: "sudo-password" as const, ...(d.sudoPassword ? { password: d.sudoPassword } : {}) } : { kind: h.privilege },
          // Jump hosts are set once every node of the file exists (below).
          jumpNodeId: d.existing?.jumpNodeId ?? null,
        };
        if (d.existing) {
          updateNode(db, d.existing.id, input, actor);
        } else {
          createNode(db, input, actor);
          created++;
        }
      }
      const byName = new Map(listNodes(db).map((n) => [n.name, n]));
      for (const d of desired) {
        const node = byName.get(d.host.name)!;
        const jumpId = d.host.jumpHost ? byName.get(d.host.jumpHost)!.id : null;
        if (node.jumpNodeId !== jumpId) {
          setJumpNode(db, node.id, jumpId);
          // Another route to the host is another host: its key is trusted afresh (as updateNode does).
          clearHostKey(db, node.id);
          recordAudit(db, { actor, action: "node-updated", nodeId: node.id, detail: { name: node.name, jumpNodeId: jumpId, hostKeyCleared: node.hostKey !== null, via: "inventory import" } });
        }
        if (d.pin) {
          pinHostKey(db, node.id, d.pin, "operator", actor);
          recordAudit(db, { actor, action: "host-key-trusted", nodeId: node.id, detail: { address: `${node.address}:${node.port}`, type: d.pin.type, fingerprint: d.host.hostKey, from: "known_hosts (inventory import)" } });
        }
      }
      const resolvedGroups = resolve(parseInventory(body.inventory.name, body.inventory.content, body.format).raw).groups;
      const groupIds = new Map(listGroups(db).map((g) => [g.name, g.id]));
      for (const g of resolvedGroups) if (!groupIds.has(g.name)) groupIds.set(g.name, insertGroup(db, g.name));
      for (const g of resolvedGroups) {
        const plan_ = preview.groups.find((p) => p.name === g.name)!;
        if (plan_.status === "unchanged") continue;
        setGroupContents(db, groupIds.get(g.name)!, g.hosts.map((n) => byName.get(n)!.id), g.children.map((c) => groupIds.get(c)!));
      }
      recordAudit(db, {
        actor,
        action: "inventory-imported",
        detail: { file: body.inventory.name, format: preview.format, ...preview.summary, fingerprint: preview.fingerprint },
      });
      return { preview, created, updated };
    })();
  } catch (error) {
    asBadRequest(error);
  }
}

export type { InventoryImportBody };
