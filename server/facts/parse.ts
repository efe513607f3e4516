import "server-only";
import { HostFacts } from "@/lib/contracts/facts";
import { SECTION_PREFIX } from "./script";

// Parsers for the facts script's sections (script.ts). Pure and tested on recorded real output
// (fixtures/). Unknown or missing data becomes null / "unknown", never a guess.

export type Sections = Map<string, string[]>;

export function splitSections(output: string): Sections {
  const sections: Sections = new Map();
  let current: string[] | null = null;
  for (const raw of output.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.startsWith(SECTION_PREFIX) && line.endsWith("@@")) {
      const name = line.slice(SECTION_PREFIX.length, -2);
      current = [];
      sections.set(name, current);
    } else if (current) current.push(line);
  }
  for (const lines of sections.values()) while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return sections;
}

/** os-release(5): KEY=value with optional shell quoting. */
export function parseOsRelease(lines: string[]): HostFacts["os"] {
  const kv = new Map<string, string>();
  for (const line of lines) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2];
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1).replace(/\\(["\\$`])/g, "$1");
    }
    kv.set(m[1], value);
  }
  return {
    id: kv.get("ID") || "linux", // os-release(5): ID defaults to "linux"
    versionId: kv.get("VERSION_ID") ?? null,
    prettyName: kv.get("PRETTY_NAME") ?? null,
    idLike: (kv.get("ID_LIKE") ?? "").split(/\s+/).filter(Boolean),
  };
}

export function mapArch(machine: string): HostFacts["arch"] {
  switch (machine) {
    case "x86_64":
    case "amd64":
      return "amd64";
    case "aarch64":
    case "arm64":
      return "arm64";
    case "armv7l":
    case "armv7":
    case "armhf":
      return "arm";
    default:
      return null;
  }
}

export function parseLibc(lines: string[]): HostFacts["libc"] {
  const text = lines.join("\n");
  // getconf: "glibc 2.36"; ldd: "ldd (Debian GLIBC 2.36-9) 2.36", "ldd (GNU libc) 2.34".
  const gnu = /^glibc (\d+\.\d+(?:\.\d+)?)/m.exec(text) ?? /^ldd \([^)]*(?:GLIBC|GNU libc)[^)]*\)\s+(\d+\.\d+(?:\.\d+)?)/im.exec(text);
  if (gnu) return { kind: "glibc", version: gnu[1] };
  if (/musl/i.test(text)) {
    const v = /^Version (\S+)/m.exec(text);
    return { kind: "musl", version: v ? v[1] : null };
  }
  return { kind: "unknown", version: null };
}

export function parseInit(lines: string[]): HostFacts["init"] {
  // sd_booted(3): systemd is the init when /run/systemd/system exists.
  return lines.includes("/run/systemd/system") || lines[0]?.trim() === "systemd" ? "systemd" : "other";
}

export function parseCgroup(lines: string[]): HostFacts["cgroup"] {
  const fs = lines[0]?.trim();
  if (fs === "cgroup2fs") return "v2";
  if (fs === "tmpfs") return "v1"; // v1 or hybrid: both mount a tmpfs of controllers at /sys/fs/cgroup
  return "unknown";
}

/** /proc/swaps has a header line and one line per active swap area. */
export function parseSwaps(lines: string[]): boolean {
  return lines.slice(1).some((l) => l.trim().length > 0);
}

export function parseMachineId(lines: string[]): string | null {
  const id = lines[0]?.trim() ?? "";
  return /^[0-9a-f]{32}$/.test(id) ? id : null;
}

/** `<path>` then the first line of `<path> --version`. */
export function parseComponent(lines: string[], version: (firstLine: string) => string | null) {
  const path = lines[0]?.trim();
  if (!path || !path.startsWith("/")) return { present: false, path: null, version: null };
  return { present: true, path, version: lines[1] ? version(lines[1].trim()) : null };
}

const semverish = (s: string | undefined) => (s ? s.replace(/^v/, "") : null);

// "containerd github.com/containerd/containerd v1.7.13 7c3aca7..." (upstream)
// "containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+b1" (Debian)
export const containerdVersion = (line: string) => {
  const m = /^containerd\s+\S+\s+(v?\d[^\s]*)/.exec(line);
  return m ? semverish(m[1].replace(/~.*$/, "")) : null;
};
// "runc version 1.1.5" (+ "commit: ..." on the next line, not read)
export const runcVersion = (line: string) => semverish(/^runc version (v?\d\S*)/.exec(line)?.[1]?.replace(/[~+].*$/, ""));
// "Kubernetes v1.30.2"
export const kubeletVersion = (line: string) => semverish(/^Kubernetes (v?\d\S*)/.exec(line)?.[1]);

export function parseCni(lines: string[]): HostFacts["cniPlugins"] {
  const dir = lines[0]?.trim();
  if (!dir || !dir.startsWith("/")) return { present: false, dir: null, plugins: [] };
  const plugins = lines.slice(1).map((l) => l.trim()).filter((l) => l && !l.startsWith(".")).sort();
  return { present: plugins.length > 0, dir, plugins };
}

export class FactsParseError extends Error {}

export function parseFacts(output: string, gatheredAt: Date = new Date()): HostFacts {
  const s = splitSections(output);
  if (!s.has("end")) throw new FactsParseError("the facts script did not finish (no end section): output was cut off");
  const get = (name: string) => s.get(name) ?? [];
  const [kernel = "", machine = ""] = get("uname").map((l) => l.trim());
  const facts: HostFacts = {
    hostname: get("hostname")[0]?.trim() ?? "",
    os: parseOsRelease(get("os-release")),
    kernel,
    machine,
    arch: mapArch(machine),
    libc: parseLibc(get("libc")),
    init: parseInit(get("init")),
    cgroup: parseCgroup(get("cgroup")),
    swapActive: parseSwaps(get("swaps")),
    machineId: parseMachineId(get("machine-id")),
    containerd: parseComponent(get("containerd"), containerdVersion),
    runc: parseComponent(get("runc"), runcVersion),
    cniPlugins: parseCni(get("cni")),
    kubelet: parseComponent(get("kubelet"), kubeletVersion),
    gatheredAt: gatheredAt.toISOString(),
  };
  return HostFacts.parse(facts);
}
