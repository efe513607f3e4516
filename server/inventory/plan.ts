import "server-only";
import { createHash } from "node:crypto";
import { groupName } from "@/lib/contracts/groups";
import type { ImportGroup, ImportPreview } from "@/lib/contracts/inventory";
import type { Db } from "../db";
import { listGroups } from "../groups/repository";
import { listNodes } from "../nodes/repository";
import { firstIssue, refuseVaulted } from "./host-vars";
import { parseKnownHosts, type KnownHosts } from "./known-hosts";
import { InventoryError, resolve } from "./model";
import { parseInventory } from "./parse";
import { describeChanges } from "./plan-changes";
import { basename, desiredHost, type Desired } from "./plan-host";

// The preview of an import, computed from the file and the database alone (nothing stored), with a
// fingerprint of both: apply imports exactly what was previewed or nothing.

export type Body = ReturnType<typeof import("@/lib/contracts/inventory").InventoryImportBody.parse>;

function inputHash(body: Body): string {
  const h = createHash("sha256");
  h.update(body.inventory.content).update("\0").update(body.knownHosts ?? "").update("\0");
  for (const k of body.keyFiles) h.update(k.name).update("\0").update(k.content).update("\0");
  return h.digest("hex");
}

export interface Plan {
  preview: ImportPreview;
  desired: Desired[];
}

export function plan(db: Db, body: Body): Plan {
  const { format, raw } = parseInventory(body.inventory.name, body.inventory.content, body.format);
  const resolved = resolve(raw);
  refuseVaulted(raw, resolved.hosts);
  if (resolved.hosts.length === 0) throw new InventoryError("the inventory names no hosts");
  const known: KnownHosts = parseKnownHosts(body.knownHosts ?? "");
  const keys = new Map(body.keyFiles.map((k) => [basename(k.name), k.content]));
  const nodes = listNodes(db);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const fileNames = new Set(resolved.hosts.map((h) => h.name));
  const groups = listGroups(db);
  const groupByName = new Map(groups.map((g) => [g.name, g]));
  const nodeName_ = new Map(nodes.map((n) => [n.id, n.name]));
  const fileGroups = new Set(resolved.groups.map((g) => g.name));

  // Where each host sits in the file's groups; groups not in the file keep their members.
  const fileGroupsOfNode = (nodeId: string) =>
    groups.filter((g) => fileGroups.has(g.name) && g.nodeIds.includes(nodeId)).map((g) => g.name);

  const ignored = new Map<string, number>();
  const desired = resolved.hosts.map((h) => desiredHost(h, { fileHosts: resolved.hosts, nodes, byName, keys, known, ignored }));

  // Jump hosts reach their targets directly (one hop): checked on the state after the import.
  const jumpOf = new Map<string, string | null>();
  for (const n of nodes) jumpOf.set(n.name, n.jumpNodeName);
  for (const d of desired) jumpOf.set(d.host.name, d.host.jumpHost);
  for (const d of desired) {
    const j = d.host.jumpHost;
    if (j && jumpOf.get(j)) d.host.problems.push(`the jump host ${j} is itself reached through ${jumpOf.get(j)}; a jump host must be reached directly`);
  }

  // What changes for hosts nodeprep already has.
  for (const d of desired) describeChanges(db, d, fileGroupsOfNode);

  // Groups: each group of the file gets exactly the file's hosts and children.
  const groupPlans: ImportGroup[] = resolved.groups.map((g) => {
    const problems: string[] = [];
    const nameProblem = firstIssue(groupName, g.name);
    if (nameProblem) problems.push(`group name ${JSON.stringify(g.name)}: ${nameProblem}`);
    const existing = groupByName.get(g.name);
    const before = existing ? existing.nodeIds.map((id) => nodeName_.get(id)!).filter(Boolean) : [];
    const beforeChildren = existing ? existing.childIds.map((id) => groups.find((x) => x.id === id)?.name ?? id) : [];
    const added = g.hosts.filter((n) => !before.includes(n));
    const removed = before.filter((n) => !g.hosts.includes(n));
    const childrenChanged = [...beforeChildren].sort().join(",") !== [...g.children].sort().join(",");
    return {
      name: g.name,
      status: !existing ? "added" : added.length || removed.length || childrenChanged ? "changed" : "unchanged",
      hosts: g.hosts.length,
      children: g.children,
      added,
      removed,
      problems,
    };
  });

  const hosts = desired.map((d) => d.host);
  const ready = hosts.every((h) => h.problems.length === 0) && groupPlans.every((g) => g.problems.length === 0);
  const body_: Omit<ImportPreview, "fingerprint"> = {
    format,
    ready,
    summary: {
      added: hosts.filter((h) => h.status === "added").length,
      changed: hosts.filter((h) => h.status === "changed").length,
      unchanged: hosts.filter((h) => h.status === "unchanged").length,
      notInFile: nodes.filter((n) => !fileNames.has(n.name)).length,
      groupsAdded: groupPlans.filter((g) => g.status === "added").length,
      groupsChanged: groupPlans.filter((g) => g.status === "changed").length,
    },
    hosts,
    groups: groupPlans,
    ignoredVars: [...ignored.entries()].map(([name, n]) => ({ name, hosts: n })).sort((a, b) => a.name.localeCompare(b.name)),
    knownHostsSkipped: known.skipped,
  };
  const fingerprint = createHash("sha256").update(JSON.stringify(body_)).update(inputHash(body)).digest("hex");
  return { preview: { ...body_, fingerprint }, desired };
}
