// Inventories against the real ansible-inventory (Debian's ansible-core, no practice node needed):
// nodeprep reads INI and YAML files exactly as `ansible-inventory --list` does (hosts, effective
// variables, groups, children), and its INI and YAML exports read back identically, with the nodes'
// connection facts, groups and jump hosts.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RawInventory } from "../../server/inventory/model";

process.env.NODEPREP_SECRET_KEY ??= randomBytes(32).toString("base64");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "np-inventory-it-"));
const FIXTURES = path.join(import.meta.dirname, "..", "..", "server", "inventory", "fixtures");

function ansibleList(file: string): unknown {
  const out = execFileSync("ansible-inventory", ["-i", file, "--list"], {
    encoding: "utf8",
    env: { ...process.env, ANSIBLE_HOME: path.join(work, "ansible"), ANSIBLE_LOCAL_TEMP: path.join(work, "ansible", "tmp"), ANSIBLE_INVENTORY_UNPARSED_FAILED: "1" },
  });
  return JSON.parse(out);
}

let mods: {
  parse: typeof import("../../server/inventory/parse");
  model: typeof import("../../server/inventory/model");
};

beforeAll(async () => {
  mods = { parse: await import("../../server/inventory/parse"), model: await import("../../server/inventory/model") };
});

/** nodeprep's reading of a file in the shape `ansible-inventory --list` prints. */
function asList(raw: RawInventory): unknown {
  const { resolve, Vaulted } = mods.model;
  const resolved = resolve(raw);
  const value = (v: unknown): unknown => (v instanceof Vaulted ? { __ansible_vault: v.ciphertext } : v);
  const out: Record<string, unknown> = {
    _meta: { hostvars: Object.fromEntries(resolved.hosts.filter((h) => Object.keys(h.vars).length).map((h) => [h.name, Object.fromEntries(Object.entries(h.vars).map(([k, v]) => [k, value(v)]).sort(([a], [b]) => String(a).localeCompare(String(b))))])) },
  };
  // all's children: ungrouped, the groups the file puts under all, then every group without a parent.
  const parents = new Set([...raw.groups.values()].filter((g) => g.name !== "all").flatMap((g) => g.children));
  const ungrouped = resolved.hosts.filter((h) => h.groups.length === 0).map((h) => h.name);
  const explicit = raw.groups.get("all")!.children.filter((g) => g !== "ungrouped");
  const implicit = [...raw.groups.keys()].filter((g) => g !== "all" && g !== "ungrouped" && !parents.has(g) && !explicit.includes(g));
  const top = ["ungrouped", ...explicit, ...implicit];
  out.all = { children: top };
  for (const g of [...raw.groups.values()]) {
    if (g.name === "all") continue;
    const hosts = g.name === "ungrouped" ? ungrouped : g.hosts;
    const entry: Record<string, unknown> = {};
    if (hosts.length) entry.hosts = hosts;
    if (g.children.length) entry.children = g.children;
    if (Object.keys(entry).length) out[g.name] = entry;
  }
  return out;
}

describe("nodeprep reads inventories as ansible-inventory does", () => {
  for (const name of ["precedence.ini", "fleet.yml"]) {
    it(name, () => {
      const file = path.join(FIXTURES, name);
      const ours = asList(mods.parse.parseInventory(name, fs.readFileSync(file, "utf8")).raw);
      expect(ours).toEqual(ansibleList(file));
    });
  }
});

describe("nodeprep's inventory export", () => {
  it("INI and YAML read back identically: every node's connection facts, groups, children and jump host", async () => {
    const { openDb } = await import("../../server/db");
    const db = openDb(":memory:");
    const { createNode } = await import("../../server/nodes/service");
    const { createGroup } = await import("../../server/groups/service");
    const node = (name: string, address: string, port: number, username: string, jumpNodeId: string | null = null) =>
      createNode(db, { name, address, port, username, auth: { method: "dashboard-key" }, privilege: { kind: "sudo-nopasswd" }, jumpNodeId }, "it");
    const bastion = node("bastion", "192.0.2.10", 22, "ops");
    const web1 = node("web-1", "10.0.0.1", 2222, "deploy", bastion.id);
    const web2 = node("web-2.example.com", "web-2.example.com", 22, "deploy", bastion.id);
    const db1 = node("db-1", "2001:db8::7", 2200, "root");
    node("odd", "1e5", 22, "no");
    const web = createGroup(db, { name: "web", nodeIds: [web1.id, web2.id], childIds: [] }, "it");
    const dbs = createGroup(db, { name: "db", nodeIds: [db1.id, web1.id], childIds: [] }, "it");
    createGroup(db, { name: "prod", nodeIds: [bastion.id], childIds: [web.id, dbs.id] }, "it");
    createGroup(db, { name: "empty_group", nodeIds: [], childIds: [] }, "it");

    const { exportIni, exportYaml } = await import("../../server/inventory/export");
    fs.writeFileSync(path.join(work, "export.ini"), exportIni(db));
    fs.writeFileSync(path.join(work, "export.yml"), exportYaml(db));
    const ini = ansibleList(path.join(work, "export.ini"));
    const yaml = ansibleList(path.join(work, "export.yml"));
    expect(yaml).toEqual(ini);
    const hostvars = (ini as { _meta: { hostvars: Record<string, unknown> } })._meta.hostvars;
    expect(hostvars).toEqual({
      bastion: { ansible_host: "192.0.2.10", ansible_port: 22, ansible_user: "ops" },
      "web-1": { ansible_host: "10.0.0.1", ansible_port: 2222, ansible_user: "deploy", ansible_ssh_common_args: "-o ProxyJump=ops@192.0.2.10:22" },
      "web-2.example.com": { ansible_host: "web-2.example.com", ansible_port: 22, ansible_user: "deploy", ansible_ssh_common_args: "-o ProxyJump=ops@192.0.2.10:22" },
      "db-1": { ansible_host: "2001:db8::7", ansible_port: 2200, ansible_user: "root" },
      // Values Python's literal_eval or YAML 1.1 would turn into numbers or booleans stay strings.
      odd: { ansible_host: "1e5", ansible_port: 22, ansible_user: "no" },
    });
    expect(ini).toMatchObject({
      ungrouped: { hosts: ["odd"] },
      web: { hosts: ["web-1", "web-2.example.com"] },
      db: { hosts: ["db-1", "web-1"] },
      prod: { hosts: ["bastion"], children: ["db", "web"] },
    });

    // And importing either file changes nothing.
    const { previewImport } = await import("../../server/inventory/import");
    for (const name of ["export.ini", "export.yml"]) {
      const preview = previewImport(db, { inventory: { name, content: fs.readFileSync(path.join(work, name), "utf8") }, keyFiles: [] });
      expect(preview.summary, name).toMatchObject({ added: 0, changed: 0, unchanged: 5, groupsAdded: 0, groupsChanged: 0 });
    }
  });
});
