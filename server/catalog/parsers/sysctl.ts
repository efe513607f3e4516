import "server-only";

export type SysctlValue = { key: string; value: string } | { key: string; error: string };

/** `/proc/sys/net/bridge/bridge-nf-call-iptables` -> `net.bridge.bridge-nf-call-iptables` */
export const keyFromProcPath = (p: string) => p.replace(/^\/proc\/sys\//, "").replace(/\//g, ".");

/**
 * Output of `sysctl key1 key2 ...`: "key = value" lines, and for keys the kernel does not have,
 * procps' "sysctl: cannot stat /proc/sys/...: No such file or directory" on stderr.
 */
export function parseSysctlOutput(text: string): Map<string, SysctlValue> {
  const out = new Map<string, SysctlValue>();
  for (const line of text.split("\n")) {
    const err = /^sysctl: cannot stat (\/proc\/sys\/\S+): (.+)$/.exec(line);
    if (err) {
      const key = keyFromProcPath(err[1]);
      out.set(key, { key, error: err[2] });
      continue;
    }
    const kv = /^([A-Za-z0-9_.\-/]+)\s*=\s*(.*)$/.exec(line);
    if (kv) out.set(kv[1], { key: kv[1], value: kv[2].trim() });
  }
  return out;
}

/**
 * A sysctl.d file (sysctl.d(5)): "key = value" or "key=value", comments with # or ;, a leading "-"
 * means "ignore failure". Later assignments of a key win, as when the file is applied.
 */
export function parseSysctlConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const m = /^-?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (m) out.set(m[1].replace(/\//g, "."), m[2].trim());
  }
  return out;
}
