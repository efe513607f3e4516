import "server-only";

// An Ansible inventory as read from one file (INI or YAML), before nodeprep makes nodes of it. The
// shapes and rules follow ansible-core's own inventory (ansible/inventory/data.py, group.py and the
// ini and yaml inventory plugins), so what nodeprep reads is what `ansible-inventory --list` reads.

export type Vars = Record<string, unknown>;

/** A value encrypted with Ansible Vault (`!vault |` in YAML): nodeprep never decrypts one. */
export class Vaulted {
  constructor(readonly ciphertext: string) {}
  toJSON() {
    return "(encrypted with Ansible Vault)";
  }
}

export interface RawGroup {
  name: string;
  /** Hosts put in this group directly, in file order. */
  hosts: string[];
  /** Child groups, in file order. */
  children: string[];
  vars: Vars;
}

export interface RawInventory {
  /** Every host with its own variables, in the order the file first names them. */
  hosts: Map<string, Vars>;
  /** Every group, `all` and `ungrouped` included, in the order the file first names them. */
  groups: Map<string, RawGroup>;
}

/** A problem with the file itself: the import stops, nothing is stored. `line` when known (INI). */
export class InventoryError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

export function emptyInventory(): RawInventory {
  const inv: RawInventory = { hosts: new Map(), groups: new Map() };
  addGroup(inv, "all");
  addGroup(inv, "ungrouped");
  return inv;
}

export function addGroup(inv: RawInventory, name: string): RawGroup {
  let g = inv.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {} };
    inv.groups.set(name, g);
  }
  return g;
}

/** Add a host to a group (Ansible's add_host): a later line's variables override an earlier line's. */
export function addHost(inv: RawInventory, host: string, group: string, vars: Vars, port: number | null): void {
  if (!host) throw new InventoryError("a host with an empty name");
  if (!inv.hosts.has(host)) inv.hosts.set(host, port !== null ? { ansible_port: port } : {});
  const own = inv.hosts.get(host)!;
  Object.assign(own, vars);
  const g = addGroup(inv, group);
  if (!g.hosts.includes(host)) g.hosts.push(host);
}

/** Ansible refuses a group that ends up inside itself ("creates a recursive dependency loop"). */
export function addChild(inv: RawInventory, parent: string, child: string): void {
  if (parent === child) throw new InventoryError(`group ${parent} cannot be a child of itself`);
  const p = addGroup(inv, parent);
  addGroup(inv, child);
  if (p.children.includes(child)) return;
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    seen.add(from);
    return (inv.groups.get(from)?.children ?? []).some((c) => !seen.has(c) && reaches(c, to, seen));
  };
  if (reaches(child, parent)) throw new InventoryError(`adding group ${child} to group ${parent} creates a loop (${child} already contains ${parent})`);
  p.children.push(child);
}

export interface ResolvedHost {
  name: string;
  /** Effective variables: `all`'s, then each group's by depth (deeper wins, then by name), then the host's own. */
  vars: Vars;
  /** The groups that hold the host directly (not all, not ungrouped). */
  groups: string[];
}

export interface ResolvedGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Vars;
}

export interface ResolvedInventory {
  hosts: ResolvedHost[];
  /** Every group but `all` and `ungrouped`, in file order. */
  groups: ResolvedGroup[];
}

/**
 * Effective variables per host, as Ansible combines them (ansible/vars/manager.py via
 * inventory/helpers.py sort_groups: groups sorted by depth, priority and name; all's depth is 0 and
 * a child is one deeper than its deepest parent).
 */
export function resolve(inv: RawInventory): ResolvedInventory {
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), g.name]);
  const depthCache = new Map<string, number>();
  const depth = (name: string): number => {
    if (name === "all") return 0;
    const cached = depthCache.get(name);
    if (cached !== undefined) return cached;
    const ps = parents.get(name) ?? [];
    const d = (ps.length ? Math.max(...ps.map(depth)) : 0) + 1;
    depthCache.set(name, d);
    return d;
  };
  const priority = (name: string) => {
    const p = Number(inv.groups.get(name)?.vars.ansible_group_priority ?? 1);
    return Number.isFinite(p) ? p : 1;
  };
  // A host's groups, through children: a host in `web` is also in every group that contains `web`.
  const ancestors = (name: string, out = new Set<string>()): Set<string> => {
    for (const p of parents.get(name) ?? []) {
      if (out.has(p)) continue;
      out.add(p);
      ancestors(p, out);
    }
    return out;
  };
  const direct = new Map<string, string[]>();
  for (const g of inv.groups.values()) {
    for (const h of g.hosts) direct.set(h, [...(direct.get(h) ?? []), g.name]);
  }
  const hosts = [...inv.hosts.entries()].map(([name, own]): ResolvedHost => {
    const mine = (direct.get(name) ?? []).filter((g) => g !== "all" && g !== "ungrouped");
    const every = new Set<string>(["all"]);
    for (const g of mine) {
      every.add(g);
      for (const a of ancestors(g)) every.add(a);
    }
    if (mine.length === 0) every.add("ungrouped");
    const ordered = [...every].sort((a, b) => depth(a) - depth(b) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0));
    const vars: Vars = {};
    for (const g of ordered) Object.assign(vars, inv.groups.get(g)?.vars ?? {});
    Object.assign(vars, own);
    return { name, vars, groups: mine };
  });
  const groups = [...inv.groups.values()]
    .filter((g) => g.name !== "all" && g.name !== "ungrouped")
    .map((g) => ({ name: g.name, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } }));
  return { hosts, groups };
}
