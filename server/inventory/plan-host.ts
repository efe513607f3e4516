import "server-only";
import type { ImportHost } from "@/lib/contracts/inventory";
import type { AuthMethod, NodeSummary, PrivilegeKind } from "@/lib/contracts/nodes";
import { hostAddress, nodeName, port as portSchema, unixUser } from "@/lib/validation";
import { describePinned, type PinnedHostKey } from "../ssh";
import { firstIssue, parseJump, pick, READ, splitJumpSpec, text, V } from "./host-vars";
import { lookupHostKey, type KnownHosts } from "./known-hosts";
import { Vaulted, type ResolvedHost } from "./model";

// One host of the file as nodeprep would have it: address, user, authentication, privilege, jump
// host, pinned key, and every problem that stops the import.

export interface Desired {
  host: ImportHost;
  existing: NodeSummary | null;
  /** Secrets to store (undefined: keep what is stored / none needed). */
  privateKey?: string;
  password?: string;
  sudoPassword?: string;
  pin: PinnedHostKey | null;
}

export const basename = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** What the host's plan reads besides the host: the file's other hosts, the nodes, the uploads. */
export interface HostContext {
  fileHosts: ResolvedHost[];
  nodes: NodeSummary[];
  byName: Map<string, NodeSummary>;
  keys: Map<string, string>;
  known: KnownHosts;
  /** Variables nodeprep does not read, counted over the hosts (filled in). */
  ignored: Map<string, number>;
}

export function desiredHost(h: ResolvedHost, ctx: HostContext): Desired {
  const { nodes, byName, keys, known, ignored } = ctx;
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
      const inFile = ctx.fileHosts.find((o) => o.name === j.address || ((text(pick(o.vars, V.host)) ?? o.name) === j.address && Number(pick(o.vars, V.port) ?? 22) === j.port));
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
}
