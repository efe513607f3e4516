import "server-only";
import { createHash } from "node:crypto";
import { groupName } from "@/lib/contracts/groups";
import type { ImportGroup, ImportHost, ImportPreview, InventoryImportBody } from "@/lib/contracts/inventory";
import type { AuthMethod, NodeSummary, PrivilegeKind } from "@/lib/contracts/nodes";
import { hostAddress, nodeName, port as portSchema, unixUser } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { listGroups, insertGroup, setGroupContents } from "../groups/repository";
import { AppError } from "../errors";
import { clearHostKey, getSecret, listNodes, pinHostKey, setJumpNode } from "../nodes/repository";
import { createNode, updateNode } from "../nodes/service";
import { describePinned, type PinnedHostKey } from "../ssh";
import { lookupHostKey, parseKnownHosts, type KnownHosts } from "./known-hosts";
import { InventoryError, resolve, Vaulted, type RawInventory, type ResolvedHost, type Vars } from "./model";
import { parseInventory } from "./parse";

// An inventory import in two calls: preview (what would be added, changed, left alone; nothing stored)
// and apply (that same preview, named by its fingerprint, in one transaction, or nothing). A second
// import of the same file previews everything as unchanged and changes nothing.

type Body = ReturnType<typeof import("@/lib/contracts/inventory").InventoryImportBody.parse>;

/** The variables nodeprep reads (Ansible's names and their older aliases); every other one is listed as ignored. */
const V = {
  host: ["ansible_host", "ansible_ssh_host"],
  port: ["ansible_port", "ansible_ssh_port"],
  user: ["ansible_user", "ansible_ssh_user"],
  keyFile: ["ansible_ssh_private_key_file", "ansible_private_key_file"],
  password: ["ansible_password", "ansible_ssh_pass", "ansible_ssh_password"],
  becomePassword: ["ansible_become_password", "ansible_become_pass", "ansible_sudo_pass", "ansible_sudo_password"],
  becomeMethod: ["ansible_become_method"],
  connection: ["ansible_connection"],
  sshArgs: ["ansible_ssh_common_args", "ansible_ssh_extra_args"],
} as const;
const READ = new Set<string>(Object.values(V).flat());

const pick = (vars: Vars, names: readonly string[]): unknown => {
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return vars[n];
  return undefined;
};
const text = (v: unknown): string | undefined => (v === undefined ? undefined : typeof v === "string" ? v : String(v));

/** Where a vaulted variable comes from, for the refusal: the host's own line or a group's vars. */
function vaultSource(raw: RawInventory, host: string, key: string): string {
  if (raw.hosts.get(host)?.[key] instanceof Vaulted) return `host ${host}`;
  const group = [...raw.groups.values()].find((g) => g.vars[key] instanceof Vaulted);
  return group ? `group ${group.name}'s vars (for host ${host})` : `host ${host}`;
}

/** Refuse the whole file when a variable nodeprep reads is vaulted: never half an inventory. */
function refuseVaulted(raw: RawInventory, hosts: ResolvedHost[]): void {
  for (const h of hosts) {
    for (const [key, value] of Object.entries(h.vars)) {
      if (!(value instanceof Vaulted) || !READ.has(key)) continue;
      const secret = (V.becomePassword as readonly string[]).includes(key) || (V.password as readonly string[]).includes(key);
      throw new InventoryError(
        `${key} of ${vaultSource(raw, h.name, key)} is encrypted with Ansible Vault. nodeprep does not decrypt vaulted values and imports nothing of a file it cannot read whole. ` +
          (secret
            ? `Remove the encrypted ${key} from the file, import it, then enter the ${key.includes("become") || key.includes("sudo") ? "sudo password" : "password"} on the node's page.`
            : `Write ${key} in plain text in the file you import.`),
      );
    }
  }
}

interface Desired {
  host: ImportHost;
  existing: NodeSummary | null;
  /** Secrets to store (undefined: keep what is stored / none needed). */
  privateKey?: string;
  password?: string;
  sudoPassword?: string;
  pin: PinnedHostKey | null;
}

const basename = (p: string) => p.split(/[\\/]/).pop() ?? p;

function parseJump(args: string): { spec: string | null; problem: string | null } {
  if (/ProxyCommand/i.test(args)) return { spec: null, problem: "ansible_ssh_common_args uses ProxyCommand: nodeprep reaches a host through one jump host (ProxyJump or -J), not a command" };
  const m = /(?:-o\s*ProxyJump[= ]\s*|-J\s*)(\S+)/i.exec(args);
  if (!m) return { spec: null, problem: null };
  const spec = m[1].replace(/^['"]|['"]$/g, "");
  if (spec.includes(",")) return { spec: null, problem: `ProxyJump ${spec} has several hops; nodeprep reaches a host through one jump host` };
  return { spec, problem: null };
}

function splitJumpSpec(spec: string): { user: string | null; address: string; port: number } {
  const at = spec.lastIndexOf("@");
  const user = at >= 0 ? spec.slice(0, at) : null;
  const rest = at >= 0 ? spec.slice(at + 1) : spec;
  const bracket = /^\[(.+)\](?::(\d+))?$/.exec(rest);
  if (bracket) return { user, address: bracket[1], port: bracket[2] ? Number(bracket[2]) : 22 };
  const colon = rest.lastIndexOf(":");
  if (colon > 0 && rest.indexOf(":") === colon && /^\d+$/.test(rest.slice(colon + 1))) return { user, address: rest.slice(0, colon), port: Number(rest.slice(colon + 1)) };
  return { user, address: rest, port: 22 };
}

function firstIssue(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error?.issues[0]?.message ?? "invalid");
}

function inputHash(body: Body): string {
  const h = createHash("sha256");
  h.update(body.inventory.content).update("\0").update(body.knownHosts ?? "").update("\0");
  for (const k of body.keyFiles) h.update(k.name).update("\0").update(k.content).update("\0");
  return h.digest("hex");
}

interface Plan {
  preview: ImportPreview;
  desired: Desired[];
}

function plan(db: Db, body: Body): Plan {
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
  const desired: Desired[] = resolved.hosts.map((h): Desired => {
    const problems: string[] = [];
    const notes: string[] = [];
    const vars = h.vars;
    for (const [k, v] of Object.entries(vars)) {
      if (READ.has(k)) continue;
      const label = v instanceof Vaulted ? `${k} (encrypted)` : k;
      ignored.set(label, (ignored.get(label) ?? 0) + 1);
    }
    const existing = byName.get(h.name) ?? null;
    const nameProblem = firstIssue(nodeName, h.name);
    if (nameProblem) problems.push(`the name ${JSON.stringify(h.name)} ${nameProblem}`);

    const connection = text(pick(vars, V.connection));
    if (connection && !["ssh", "paramiko", "smart"].includes(connection)) {
      problems.push(`ansible_connection=${connection}: nodeprep reaches hosts over SSH only`);
    }
    const address = text(pick(vars, V.host)) ?? h.name;
    const addressProblem = firstIssue(hostAddress, address);
    if (addressProblem) problems.push(`ansible_host ${JSON.stringify(address)}: ${addressProblem}`);
    const rawPort = pick(vars, V.port);
    const port = rawPort === undefined ? 22 : typeof rawPort === "number" ? rawPort : Number(text(rawPort));
    const portProblem = firstIssue(portSchema, port);
    if (portProblem) problems.push(`ansible_port ${JSON.stringify(rawPort)}: ${portProblem}`);
    const username = text(pick(vars, V.user)) ?? existing?.username ?? "";
    if (!username) problems.push("no ansible_user: set it for the host or its group (e.g. [all:vars] ansible_user=ops)");
    else {
      const userProblem = username === "root" ? null : firstIssue(unixUser, username);
      if (userProblem) problems.push(`ansible_user ${JSON.stringify(username)}: ${userProblem}`);
    }
    const becomeMethod = text(pick(vars, V.becomeMethod));
    if (becomeMethod && becomeMethod !== "sudo") problems.push(`ansible_become_method=${becomeMethod}: nodeprep becomes root with sudo only`);

    // Authentication: a key file (uploaded), a password, or (nothing said) what the node has / the dashboard key.
    let authMethod: AuthMethod;
    let privateKey: string | undefined;
    let password: string | undefined;
    const keyFile = text(pick(vars, V.keyFile));
    const loginPassword = text(pick(vars, V.password));
    if (keyFile) {
      authMethod = "key";
      privateKey = keys.get(basename(keyFile));
      if (!privateKey) problems.push(`ansible_ssh_private_key_file ${keyFile}: upload ${basename(keyFile)} with the inventory`);
    } else if (loginPassword) {
      authMethod = "password";
      password = loginPassword;
    } else if (existing) {
      authMethod = existing.authMethod;
    } else {
      authMethod = "dashboard-key";
      notes.push("no key file or password in the inventory: nodeprep signs in with the dashboard's own key (Nodes page); put its public key in the user's authorized_keys");
    }

    // Privilege: root needs none; a become password means sudo asks for it; else what the node has, or sudo without one.
    let privilege: PrivilegeKind;
    const becomePassword = text(pick(vars, V.becomePassword));
    let sudoPassword: string | undefined;
    // Root needs no sudo (a node already signing in as root keeps what it was given).
    if (username === "root") privilege = existing?.username === "root" ? existing.privilege : "root";
    else if (becomePassword) {
      privilege = "sudo-password";
      sudoPassword = becomePassword;
    } else if (existing && existing.privilege !== "root") privilege = existing.privilege;
    else privilege = "sudo-nopasswd";

    // A jump host: ProxyJump in the SSH arguments, naming a host of this file or a node nodeprep has.
    let jumpHost: string | null = null;
    const args = text(pick(vars, V.sshArgs));
    if (args) {
      const { spec, problem } = parseJump(args);
      if (problem) problems.push(problem);
      if (spec) {
        const j = splitJumpSpec(spec);
        const inFile = resolved.hosts.find((o) => o.name === j.address || ((text(pick(o.vars, V.host)) ?? o.name) === j.address && Number(pick(o.vars, V.port) ?? 22) === j.port));
        const inDb = nodes.find((n) => n.name === j.address || (n.address === j.address && n.port === j.port));
        jumpHost = inFile?.name ?? inDb?.name ?? null;
        if (!jumpHost) problems.push(`ProxyJump ${spec}: no host of this inventory or node of nodeprep is ${j.address}:${j.port}; import or add the jump host too`);
        else if (jumpHost === h.name) problems.push("ProxyJump names the host itself");
      }
    }

    const pinned = lookupHostKey(known, address, port);
    const host: ImportHost = {
      name: h.name,
      status: "added",
      address,
      port,
      username,
      authMethod,
      privilege,
      groups: h.groups,
      jumpHost,
      hostKey: pinned ? describePinned(pinned).fingerprint : null,
      changes: [],
      problems,
      notes,
    };
    return { host, existing, privateKey, password, sudoPassword, pin: pinned };
  });

  // Jump hosts reach their targets directly (one hop): checked on the state after the import.
  const jumpOf = new Map<string, string | null>();
  for (const n of nodes) jumpOf.set(n.name, n.jumpNodeName);
  for (const d of desired) jumpOf.set(d.host.name, d.host.jumpHost);
  for (const d of desired) {
    const j = d.host.jumpHost;
    if (j && jumpOf.get(j)) d.host.problems.push(`the jump host ${j} is itself reached through ${jumpOf.get(j)}; a jump host must be reached directly`);
  }

  // What changes for hosts nodeprep already has.
  for (const d of desired) {
    const e = d.existing;
    const h = d.host;
    const wantGroups = new Set(h.groups);
    if (!e) {
      if (!h.hostKey) h.notes.push("known_hosts does not know this host: trust its key at its first Test connection");
      continue;
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
