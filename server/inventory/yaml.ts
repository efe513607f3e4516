import "server-only";
import { isMap, isScalar, parseDocument, type ScalarTag } from "yaml";
import { expandHostPattern } from "./host-pattern";
import { addChild, addGroup, addHost, emptyInventory, InventoryError, Vaulted, type RawInventory, type Vars } from "./model";

// Ansible's YAML inventory format (plugins/inventory/yaml.py): top-level keys are groups; a group has
// `hosts` (host pattern -> variables), `vars` and `children` (group -> group, recursively). Ansible
// loads YAML 1.1 (PyYAML): `yes`/`no` are booleans there, and `!vault` marks an encrypted value.

const vaultTag: ScalarTag = {
  tag: "!vault",
  resolve: (text: string) => new Vaulted(text),
  identify: (v) => v instanceof Vaulted,
};
// `!unsafe` only tells Ansible not to template the string: for nodeprep it is the string itself.
const unsafeTag: ScalarTag = { tag: "!unsafe", resolve: (text: string) => text };

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Vaulted);

export function parseYamlInventory(text: string): RawInventory {
  const doc = parseDocument(text, { version: "1.1", customTags: [vaultTag, unsafeTag], uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new InventoryError(`not valid YAML: ${e.message.split("\n")[0]}`, e.linePos?.[0]?.line);
  }
  if (!isMap(doc.contents) && !(isScalar(doc.contents) && doc.contents.value === null)) {
    throw new InventoryError("a YAML inventory is a mapping of group names (all: ...) at the top level");
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (data === null || data === undefined) throw new InventoryError("the YAML file is empty");
  if (!isMapping(data)) throw new InventoryError("a YAML inventory is a mapping of group names (all: ...) at the top level");
  if (data.plugin) throw new InventoryError("this is an inventory plugin's configuration (plugin: ...), not an inventory: export the inventory with ansible-inventory --list --yaml and import that");
  const inv = emptyInventory();
  for (const [name, body] of Object.entries(data)) parseGroup(inv, name, body, [name]);
  return inv;
}

function parseGroup(inv: RawInventory, name: string, body: unknown, path: string[]): string {
  if (body !== null && body !== undefined && !isMapping(body)) {
    // Ansible skips such an entry with a warning; an import that silently drops part of a file is worse.
    throw new InventoryError(`${path.join(".")}: a group is a mapping with hosts, vars and children`);
  }
  addGroup(inv, name);
  if (!body) return name;
  for (const [key, raw] of Object.entries(body)) {
    // Ansible accepts `hosts: web1` for `hosts: {web1: null}`.
    const value = typeof raw === "string" && key !== "vars" ? { [raw]: null } : raw;
    if (value === null || value === undefined) continue;
    if (!isMapping(value)) throw new InventoryError(`${[...path, key].join(".")}: must be a mapping`);
    if (key === "vars") Object.assign(addGroup(inv, name).vars, value);
    else if (key === "children") {
      for (const [child, childBody] of Object.entries(value)) {
        parseGroup(inv, child, childBody, [...path, "children", child]);
        addChild(inv, name, child);
      }
    } else if (key === "hosts") {
      for (const [pattern, hostVars] of Object.entries(value)) {
        if (hostVars !== null && hostVars !== undefined && !isMapping(hostVars)) {
          throw new InventoryError(`${[...path, "hosts", pattern].join(".")}: a host's value is a mapping of variables`);
        }
        const { hosts, port } = expandHostPattern(pattern);
        for (const h of hosts) addHost(inv, h, name, (hostVars ?? {}) as Vars, port);
      }
    } else {
      throw new InventoryError(`${[...path, key].join(".")}: unexpected key; a group has only hosts, vars and children`);
    }
  }
  return name;
}
