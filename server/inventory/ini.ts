import "server-only";
import { expandHostPattern } from "./host-pattern";
import { literalEval } from "./literal";
import { addChild, addGroup, addHost, emptyInventory, InventoryError, type RawInventory } from "./model";

// Ansible's INI inventory format, as ansible-core 2.14+ reads it (plugins/inventory/ini.py):
//   hosts before any section are ungrouped; [group] lists hosts (`name key=value ...`, split like
//   Python's shlex with comments); [group:vars] sets group variables; [group:children] lists child
//   groups, which may be declared later in the file; '#' and ';' start comment lines.

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_LINE = /^([^:\]\s]+)\s*(?:#.*)?$/;

/** Python's shlex.split(line, comments=True) in POSIX mode: quotes, backslashes, '#' ends the line. */
export function shlexSplit(line: string): string[] {
  const out: string[] = [];
  let token = "";
  let inToken = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else token += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < line.length && ['"', "\\"].includes(line[i + 1])) token += line[++i];
      else token += c;
      continue;
    }
    if (/\s/.test(c)) {
      if (inToken) out.push(token);
      token = "";
      inToken = false;
      continue;
    }
    if (c === "#") break;
    inToken = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === "\\") {
      if (i + 1 < line.length) token += line[++i];
    } else token += c;
  }
  if (quote) throw new InventoryError(`no closing quotation in: ${line}`);
  if (inToken) out.push(token);
  return out;
}

export function parseIni(text: string): RawInventory {
  const inv = emptyInventory();
  let group = "ungrouped";
  let state: "hosts" | "vars" | "children" = "hosts";
  // [x:children] may name groups declared further down; [x:vars] needs x declared somewhere.
  const pendingChildren = new Map<string, { line: number; parents: string[] }>();
  const pendingVars = new Map<string, number>();
  const declared = new Set<string>(["all", "ungrouped"]);
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (!line || line[0] === "#" || line[0] === ";") return;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1];
      const tag = section[2] ?? "hosts";
      if (tag !== "hosts" && tag !== "vars" && tag !== "children") throw new InventoryError(`section [${group}:${tag}] has an unknown type: ${tag}`, lineNo);
      state = tag;
      addGroup(inv, group);
      if (state === "vars") {
        if (!declared.has(group) && !pendingVars.has(group)) pendingVars.set(group, lineNo);
      } else {
        declared.add(group);
        pendingVars.delete(group);
        const waiting = pendingChildren.get(group);
        if (waiting) {
          for (const parent of waiting.parents) addChild(inv, parent, group);
          pendingChildren.delete(group);
        }
      }
      return;
    }
    if (line.startsWith("[") && line.endsWith("]")) {
      throw new InventoryError(`invalid section ${line}: no spaces or other characters are allowed in a section name`, lineNo);
    }
    try {
      if (state === "hosts") {
        const tokens = shlexSplit(line);
        if (tokens.length === 0) return;
        const { hosts, port } = expandHostPattern(tokens[0]);
        if (hosts.some((h) => h.trim() === "---")) throw new InventoryError("'---' starts a YAML document: is this a YAML inventory saved as .ini?");
        const vars: Record<string, unknown> = {};
        for (const t of tokens.slice(1)) {
          const eq = t.indexOf("=");
          if (eq < 0) throw new InventoryError(`expected key=value after the host name, got: ${t}`);
          vars[t.slice(0, eq)] = literalEval(t.slice(eq + 1));
        }
        for (const h of hosts) addHost(inv, h, group, vars, port);
      } else if (state === "vars") {
        const eq = line.indexOf("=");
        if (eq < 0) throw new InventoryError(`expected key=value, got: ${line}`);
        addGroup(inv, group).vars[line.slice(0, eq).trim()] = literalEval(line.slice(eq + 1).trim());
      } else {
        const m = GROUP_LINE.exec(line);
        if (!m) throw new InventoryError(`expected a group name, got: ${line}`);
        const child = m[1];
        if (inv.groups.has(child)) addChild(inv, group, child);
        else {
          const waiting = pendingChildren.get(child) ?? { line: lineNo, parents: [] };
          waiting.parents.push(group);
          pendingChildren.set(child, waiting);
        }
      }
    } catch (error) {
      if (error instanceof InventoryError && error.line === undefined) throw new InventoryError(error.message, lineNo);
      throw error;
    }
  });
  for (const [name, line] of pendingVars) throw new InventoryError(`section [${name}:vars] is for a group that is never declared: ${name}`, line);
  for (const [name, w] of pendingChildren) throw new InventoryError(`section [${w.parents.at(-1)}:children] names a group that is never declared: ${name}`, w.line);
  return inv;
}
