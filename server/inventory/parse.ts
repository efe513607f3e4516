import "server-only";
import type { InventoryFormat } from "@/lib/contracts/inventory";
import { parseIni } from "./ini";
import { InventoryError, type RawInventory } from "./model";
import { parseYamlInventory } from "./yaml";

/** Which format a file is: its extension, else its content (YAML starts with `---` or `name:`). */
export function detectFormat(name: string, content: string): InventoryFormat {
  if (/\.ya?ml$/i.test(name)) return "yaml";
  if (/\.(ini|cfg|hosts)$/i.test(name)) return "ini";
  const first = content.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith("#") && !l.startsWith(";"));
  return first && (first === "---" || /^[^\s[\]=]+:(\s|$)/.test(first)) ? "yaml" : "ini";
}

export function parseInventory(name: string, content: string, format?: InventoryFormat): { format: InventoryFormat; raw: RawInventory } {
  // A file encrypted as a whole (ansible-vault encrypt) cannot be read at all: say so, read nothing.
  if (content.trimStart().startsWith("$ANSIBLE_VAULT;")) {
    throw new InventoryError("the whole file is encrypted with Ansible Vault: nodeprep cannot decrypt it. Import a decrypted copy (ansible-vault view FILE > plain.ini) without its vaulted secrets");
  }
  const f = format ?? detectFormat(name, content);
  return { format: f, raw: f === "yaml" ? parseYamlInventory(content) : parseIni(content) };
}
