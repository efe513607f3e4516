import "server-only";
import { InventoryError, Vaulted, type RawInventory, type ResolvedHost, type Vars } from "./model";

// The Ansible variables an import reads, how it reads them, and what it refuses in them.

/** The variables nodeprep reads (Ansible's names and their older aliases); every other one is listed as ignored. */
export const V = {
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
export const READ = new Set<string>(Object.values(V).flat());

export const pick = (vars: Vars, names: readonly string[]): unknown => {
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return vars[n];
  return undefined;
};
export const text = (v: unknown): string | undefined => (v === undefined ? undefined : typeof v === "string" ? v : String(v));

/** Where a vaulted variable comes from, for the refusal: the host's own line or a group's vars. */
function vaultSource(raw: RawInventory, host: string, key: string): string {
  if (raw.hosts.get(host)?.[key] instanceof Vaulted) return `host ${host}`;
  const group = [...raw.groups.values()].find((g) => g.vars[key] instanceof Vaulted);
  return group ? `group ${group.name}'s vars (for host ${host})` : `host ${host}`;
}

/** Refuse the whole file when a variable nodeprep reads is vaulted: never half an inventory. */
export function refuseVaulted(raw: RawInventory, hosts: ResolvedHost[]): void {
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

export function parseJump(args: string): { spec: string | null; problem: string | null } {
  if (/ProxyCommand/i.test(args)) return { spec: null, problem: "ansible_ssh_common_args uses ProxyCommand: nodeprep reaches a host through one jump host (ProxyJump or -J), not a command" };
  const m = /(?:-o\s*ProxyJump[= ]\s*|-J\s*)(\S+)/i.exec(args);
  if (!m) return { spec: null, problem: null };
  const spec = m[1].replace(/^['"]|['"]$/g, "");
  if (spec.includes(",")) return { spec: null, problem: `ProxyJump ${spec} has several hops; nodeprep reaches a host through one jump host` };
  return { spec, problem: null };
}

export function splitJumpSpec(spec: string): { user: string | null; address: string; port: number } {
  const at = spec.lastIndexOf("@");
  const user = at >= 0 ? spec.slice(0, at) : null;
  const rest = at >= 0 ? spec.slice(at + 1) : spec;
  const bracket = /^\[(.+)\](?::(\d+))?$/.exec(rest);
  if (bracket) return { user, address: bracket[1], port: bracket[2] ? Number(bracket[2]) : 22 };
  const colon = rest.lastIndexOf(":");
  if (colon > 0 && rest.indexOf(":") === colon && /^\d+$/.test(rest.slice(colon + 1))) return { user, address: rest.slice(0, colon), port: Number(rest.slice(colon + 1)) };
  return { user, address: rest, port: 22 };
}

export function firstIssue(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : (r.error?.issues[0]?.message ?? "invalid");
}
