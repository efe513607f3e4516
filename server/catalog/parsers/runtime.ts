import "server-only";
import type { CommandOutput } from "../types";

// Parsers for the container runtime's tools, tested on output recorded on a practice node
// (server/catalog/fixtures/runtime/). Pure: text in, values out.

/** MAJOR.MINOR.PATCH from a version as the tools print it: "v1.7.13", "1.6.20~ds1", "1.1.5+ds1". */
export function plainVersion(raw: string | null | undefined): string | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw?.trim() ?? "");
  return m ? `${m[1]}.${m[2]}.${m[3] ?? "0"}` : null;
}

/**
 * `containerd --version`, first line:
 *   "containerd github.com/containerd/containerd v1.7.13 7c3aca7a..." (upstream)
 *   "containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3" (Debian's build)
 *   "containerd containerd.io 1.6.28 ae07eda3..." (Docker's containerd.io package)
 */
export function parseContainerdVersion(text: string): { version: string; raw: string } | null {
  for (const line of text.split("\n")) {
    const m = /^containerd\s+\S+\s+(v?\d+\.\d+\S*)/.exec(line.trim());
    if (m) {
      const version = plainVersion(m[1]);
      if (version) return { version, raw: m[1] };
    }
  }
  return null;
}

/** "runc version 1.1.5+ds1" then commit/spec/go/libseccomp lines. */
export function parseRuncVersion(text: string): { version: string; raw: string; spec: string | null; libseccomp: string | null } | null {
  const m = /^runc version (v?\d+\.\d+\S*)/m.exec(text);
  const version = plainVersion(m?.[1]);
  if (!m || !version) return null;
  return {
    version,
    raw: m[1],
    spec: /^spec: (\S+)/m.exec(text)?.[1] ?? null,
    libseccomp: /^libseccomp: (\S+)/m.exec(text)?.[1] ?? null,
  };
}

export const majorOf = (version: string): number => Number(version.split(".")[0]);

/**
 * Who owns a file, from `dpkg -S <path>` ("containerd.io: /usr/bin/containerd", or "pkg1, pkg2: path")
 * or `rpm -qf <path>` ("containerd.io-1.6.28-3.1.el9.x86_64"). null when no package owns it.
 */
export function parsePackageOwner(text: string): { manager: "dpkg" | "rpm"; package: string } | null {
  const line = text.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  if (!line || /no path found|not owned by any package|not found|No such file/i.test(line)) return null;
  const dpkg = /^(?!diversion by)([a-z0-9][a-z0-9+.:-]*(?:, [a-z0-9][a-z0-9+.:-]*)*): (\/\S*)$/.exec(line);
  if (dpkg) return { manager: "dpkg", package: dpkg[1] };
  const rpm = /^([A-Za-z0-9_.+-]+-[^-\s]+-[^-\s]+)$/.exec(line);
  if (rpm) return { manager: "rpm", package: rpm[1] };
  return null;
}

/** `ls /opt/cni/bin`: one name per line; null when the directory does not exist. */
export function parseCniList(output: string, exitCode: number | null): string[] | null {
  if (exitCode !== 0) return null;
  return output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.includes("/") && !l.startsWith("ls:"))
    .sort();
}

export interface CtrVersion {
  client: { version: string; revision: string | null } | null;
  server: { version: string; revision: string | null; uuid: string | null } | null;
  /** The error ctr printed when it could not reach the daemon. */
  error: string | null;
}

/**
 * `ctr version`: a "Client:" block, then a "Server:" block when the daemon answered; otherwise an
 * error line ("ctr: failed to dial \"/run/containerd/containerd.sock\": context deadline exceeded ...").
 */
export function parseCtrVersion(text: string): CtrVersion {
  const blocks: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  let error: string | null = null;
  for (const line of text.split("\n")) {
    const head = /^(Client|Server):\s*$/.exec(line);
    if (head) {
      current = blocks[head[1]] = {};
      continue;
    }
    const kv = /^\s+([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(line);
    if (kv && current) {
      current[kv[1].trim()] = kv[2].trim();
      continue;
    }
    if (/^ctr: /.test(line)) error = line.replace(/^ctr: /, "").trim();
    if (line.trim() === "") current = null;
  }
  const c = blocks.Client;
  const s = blocks.Server;
  return {
    client: c?.Version ? { version: c.Version, revision: c.Revision ?? null } : null,
    server: s?.Version ? { version: s.Version, revision: s.Revision ?? null, uuid: s.UUID ?? null } : null,
    error,
  };
}

export interface PluginRow {
  type: string;
  id: string;
  platforms: string;
  status: string;
}

/** `ctr plugins ls`: TYPE ID PLATFORMS STATUS, columns separated by runs of spaces. */
export function parsePluginsList(text: string): PluginRow[] | null {
  const lines = text.split("\n").filter((l) => l.trim());
  const header = lines.findIndex((l) => /^TYPE\s+ID\s+PLATFORMS\s+STATUS\s*$/.test(l));
  if (header < 0) return null;
  return lines.slice(header + 1).flatMap((l) => {
    const [type, id, platforms, status] = l.trim().split(/\s+/);
    return status ? [{ type, id, platforms, status }] : [];
  });
}

/**
 * `containerd config dump` prints the merged config on stdout, and logrus lines on stderr (e.g. the
 * deprecation warning for a version 1 file); the probe's section merges both, so drop the log lines.
 */
export function stripLogLines(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/^time="[^"]*" level=\w+ /.test(l))
    .join("\n");
}

/** `containerd: failed to load TOML: /etc/containerd/config.toml: open ...: no such file or directory` */
export const configMissing = (text: string) => /failed to load TOML: .*no such file or directory/.test(text);

/**
 * The kubelet's `cgroupDriver` from /var/lib/kubelet/config.yaml (a KubeletConfiguration that kubeadm
 * writes). A top-level key: read it with a line match rather than a YAML library. null = not set, in
 * which case the kubelet's own default, cgroupfs, applies.
 */
export function kubeletCgroupDriver(yaml: string): string | null {
  const m = /^cgroupDriver:\s*["']?([A-Za-z]+)["']?\s*(?:#.*)?$/m.exec(yaml);
  return m ? m[1] : null;
}

/** "1795886939 1795886940": config.toml's mtime, then when containerd last entered "active" (epoch seconds). */
export function parseRestartCheck(text: string): { configMtime: number; activeSince: number } | null {
  const m = /^(\d+) (\d+)\s*$/m.exec(text);
  return m ? { configMtime: Number(m[1]), activeSince: Number(m[2]) } : null;
}

export interface PackagedBinary {
  path: string;
  versionText: string;
  owner: { manager: "dpkg" | "rpm"; package: string } | null;
}

/** The output of `packaged(...)`: the path, the tool's --version lines, then the owner line. */
export function parsePackaged(out: CommandOutput | undefined): PackagedBinary | null {
  if (!out || !out.output.startsWith("/")) return null;
  const lines = out.output.split("\n");
  const path = lines[0].trim();
  const ownerLine = lines.slice(1).find((l) => /^\S.*: \//.test(l) || /(not owned by any package|no path found)/.test(l) || /^[A-Za-z0-9_.+-]+-[^-\s]+-[^-\s]+\.(x86_64|aarch64|noarch)$/.test(l.trim()));
  return { path, versionText: lines.slice(1).join("\n"), owner: ownerLine ? parsePackageOwner(ownerLine) : null };
}

/** `systemctl show -p A -p B unit`: one `Name=value` line per property, in systemd's order. */
export function parseSystemctlShow(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) props[m[1]] = m[2];
  }
  return props;
}
