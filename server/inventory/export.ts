import "server-only";
import { stringify } from "yaml";
import type { InventoryFormat } from "@/lib/contracts/inventory";
import type { NodeSummary } from "@/lib/contracts/nodes";
import type { Db } from "../db";
import { listGroups } from "../groups/repository";
import { listNodes } from "../nodes/repository";
import { literalEval } from "./literal";

// nodeprep's nodes as an Ansible inventory, INI or YAML. Both read back (`ansible-inventory -i FILE
// --list`) as the same hosts, variables, groups and children; importing either one changes nothing.
// Only connection facts are written: address, port, user, and a jump host as ProxyJump. Secrets never
// leave nodeprep (set ansible_ssh_private_key_file or use an agent on the Ansible side).

type HostVars = Record<string, string | number>;

const sshHost = (address: string) => (address.includes(":") ? `[${address}]` : address);

function hostVars(node: NodeSummary, byId: Map<string, NodeSummary>): HostVars {
  const vars: HostVars = { ansible_host: node.address, ansible_port: node.port, ansible_user: node.username };
  const jump = node.jumpNodeId ? byId.get(node.jumpNodeId) : undefined;
  if (jump) vars.ansible_ssh_common_args = `-o ProxyJump=${jump.username}@${sshHost(jump.address)}:${jump.port}`;
  return vars;
}

interface Model {
  nodes: NodeSummary[];
  vars: Map<string, HostVars>;
  /** Groups by name: direct hosts (names) and children (names), sorted. */
  groups: { name: string; hosts: string[]; children: string[] }[];
  ungrouped: string[];
  header: string[];
}

/** `only`: these nodes (the wizard's selection), in the groups they are in; groups left empty are dropped. */
function model(db: Db, only?: ReadonlySet<string>): Model {
  const all = listNodes(db);
  const byId = new Map(all.map((n) => [n.id, n]));
  const nodes = only ? all.filter((n) => only.has(n.id)) : all;
  const groups = listGroups(db)
    .map((g) => (only ? { ...g, nodeIds: g.nodeIds.filter((id) => only.has(id)), allNodeIds: g.allNodeIds.filter((id) => only.has(id)) } : g))
    .filter((g) => !only || g.allNodeIds.length > 0);
  const kept = new Set(groups.map((g) => g.id));
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const inGroup = new Set(groups.flatMap((g) => g.nodeIds));
  return {
    nodes,
    vars: new Map(nodes.map((n) => [n.name, hostVars(n, byId)])),
    groups: groups.map((g) => ({
      name: g.name,
      hosts: g.nodeIds.map((id) => byId.get(id)!.name),
      children: g.childIds.filter((id) => kept.has(id)).map((id) => groupName.get(id)!),
    })),
    ungrouped: nodes.filter((n) => !inGroup.has(n.id)).map((n) => n.name),
    header: [
      `Exported by nodeprep: ${nodes.length} node${nodes.length === 1 ? "" : "s"}, ${groups.length} group${groups.length === 1 ? "" : "s"}.`,
      "Connection facts only: no keys or passwords. Add ansible_ssh_private_key_file (or use ssh-agent) on the Ansible side.",
    ],
  };
}

/** One INI value, written so that ansible-core's literal_eval gives back exactly this value. */
function iniValue(v: string | number): string {
  if (typeof v === "number") return String(v);
  const plain = /^[A-Za-z0-9_.:@/+=,\-[\]]+$/.test(v) && literalEval(v) === v;
  if (plain) return v;
  // A Python string literal inside shell quotes: shlex removes the outer quotes, literal_eval the inner.
  const py = `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return `"${py.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function exportIni(db: Db, only?: ReadonlySet<string>): string {
  const m = model(db, only);
  const declared = new Set<string>();
  const hostLine = (name: string) => {
    if (declared.has(name)) return name;
    declared.add(name);
    return [name, ...Object.entries(m.vars.get(name)!).map(([k, v]) => `${k}=${iniValue(v)}`)].join(" ");
  };
  const out: string[] = m.header.map((l) => `# ${l}`);
  // Hosts before any section are Ansible's `ungrouped`.
  for (const name of m.ungrouped) out.push(hostLine(name));
  for (const g of m.groups) {
    if (g.hosts.length > 0 || g.children.length === 0) {
      out.push("", `[${g.name}]`);
      for (const h of g.hosts) out.push(hostLine(h));
    }
  }
  for (const g of m.groups) {
    if (g.children.length === 0) continue;
    out.push("", `[${g.name}:children]`, ...g.children);
  }
  return out.join("\n") + "\n";
}

export function exportYaml(db: Db): string {
  const m = model(db);
  const declared = new Set<string>();
  const hostsOf = (names: string[]) =>
    Object.fromEntries(
      names.map((name) => {
        if (declared.has(name)) return [name, null];
        declared.add(name);
        return [name, m.vars.get(name)!];
      }),
    );
  // Every group at the top level (a group without parents is a child of `all`, as in the INI file);
  // `children` only names them, so no group is declared twice.
  const doc: Record<string, unknown> = { all: m.ungrouped.length ? { hosts: hostsOf(m.ungrouped) } : null };
  for (const g of m.groups) {
    const body: Record<string, unknown> = {};
    if (g.hosts.length) body.hosts = hostsOf(g.hosts);
    if (g.children.length) body.children = Object.fromEntries(g.children.map((c) => [c, null]));
    doc[g.name] = Object.keys(body).length ? body : null;
  }
  const yaml = stringify(doc, { version: "1.1", nullStr: "", lineWidth: 0 });
  return m.header.map((l) => `# ${l}`).join("\n") + "\n" + yaml;
}

export function exportInventory(db: Db, format: InventoryFormat): string {
  return format === "yaml" ? exportYaml(db) : exportIni(db);
}

/** The inventory of some nodes (the wizard's selection), for an exported playbook. */
export function exportIniFor(db: Db, nodeIds: readonly string[]): string {
  return exportIni(db, new Set(nodeIds));
}
