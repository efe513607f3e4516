import "server-only";

export interface LsmodEntry {
  name: string;
  size: number;
  useCount: number;
  usedBy: string[];
}

/**
 * Rows of `lsmod` (or of `lsmod | grep x`): "Module  Size  Used by" columns. Anything else in the text
 * (the header, "lsmod: command not found", a kernel without /proc/modules) is skipped, never guessed at.
 */
export function parseLsmod(text: string): LsmodEntry[] {
  const rows: LsmodEntry[] = [];
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z0-9_]+)\s+(\d+)\s+(-|\d+)(?:\s+(\S+))?\s*$/.exec(line);
    if (!m) continue;
    rows.push({
      name: m[1],
      size: Number(m[2]),
      useCount: m[3] === "-" ? 0 : Number(m[3]),
      usedBy: m[4] ? m[4].split(",").filter((s) => s && s !== "[permanent]") : [],
    });
  }
  return rows;
}

/** lsmod prints module names with underscores; modprobe accepts either ("br-netfilter" = "br_netfilter"). */
export const moduleName = (name: string) => name.replace(/-/g, "_");

/** Lines of `modules.builtin` ("kernel/net/unix/unix.ko") that name this module. */
export function builtinMatches(modulesBuiltin: string, name: string): string[] {
  const wanted = moduleName(name);
  return modulesBuiltin
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => {
      const file = l.split("/").pop() ?? "";
      const base = file.replace(/\.ko(\.[a-z0-9]+)?$/, "");
      return base !== file && moduleName(base) === wanted;
    });
}
