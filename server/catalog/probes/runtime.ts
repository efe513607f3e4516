import "server-only";
import type { ProbeCheck, ProbeResult, ProbeVerdict } from "@/lib/contracts/catalog";
import { CRI_PLUGIN_IDS, effectiveSystemdCgroup, parseContainerdConfig } from "../../runtime/containerd-config";
import {
  configMissing,
  kubeletCgroupDriver,
  parseCniList,
  parseContainerdVersion,
  parseCtrVersion,
  parsePackageOwner,
  parsePluginsList,
  parseRestartCheck,
  parseRuncVersion,
  stripLogLines,
} from "../parsers/runtime";
import { allOf, dirNames, fileContent, runningBinary, runWhenPresent, runWhenRead, unitPresence } from "../inputs";
import type { CommandOutput, Probe, ProbeCommand } from "../types";
import { CGROUP_FSTYPE, cgroupDriverShort, cgroupLayout } from "./host";

// The container runtime (issue 5): containerd, runc, the CNI plugins, the service, the cgroup driver.
// Every command below is a constant (no outside value is spliced in); the wizard's verify phase and
// the health view run the same probes.

export const CONTAINERD_BIN = "/usr/local/bin/containerd";
export const RUNC_BIN = "/usr/local/sbin/runc";
export const CNI_DIR = "/opt/cni/bin";
export const CONTAINERD_UNIT = "/usr/local/lib/systemd/system/containerd.service";
export const CONTAINERD_CONFIG = "/etc/containerd/config.toml";
export const CONTAINERD_SOCKET = "/run/containerd/containerd.sock";
export const KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";
/** What Kubernetes needs at least: the plugins a typical CNI config (bridge + portmap) and kubenet use. */
export const REQUIRED_CNI_PLUGINS = ["bridge", "host-local", "loopback", "portmap"] as const;

const noAnswer = (expected: string): ProbeVerdict => ({
  status: "unknown",
  observed: "no answer",
  expected,
  detail: "The host did not answer this check.",
  checks: [],
});

const notFound = (out: CommandOutput) => out.exitCode === 127 || /not found|No such file or directory/.test(out.output);

// Without a socket, ctr keeps redialling for about 10 s before it gives up (measured on a practice
// node): ask only when containerd is listening, so a health scan of a fresh host stays quick.
const withSocket = (ctrArgs: string) =>
  `if [ -S ${CONTAINERD_SOCKET} ]; then ctr --connect-timeout 5s ${ctrArgs}; else echo 'no socket at ${CONTAINERD_SOCKET}: containerd is not running'; false; fi`;

// A distribution's package (Debian's containerd/runc, Docker's containerd.io) installs into /usr/bin or
// /usr/sbin; report its owner with whichever package manager the host has.
const packaged = (name: string, paths: string[]) =>
  `p=; for c in ${paths.join(" ")}; do [ -x "$c" ] && { p=$c; break; }; done; if [ -z "$p" ]; then false; else echo "$p"; "$p" --version; ` +
  `if command -v dpkg >/dev/null; then dpkg -S "$p"; elif command -v rpm >/dev/null; then rpm -qf "$p"; fi; fi`;

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

const describeOwner = (b: PackagedBinary) =>
  b.owner ? `package ${b.owner.package} (${b.owner.manager})` : `${b.path}, not from a package`;

// Two probes read containerd's effective config: one command (and one section of the batch) for both.
// It depends on the binary (its defaults) and the config file; files the config imports are not
// followed here, so a config that imports runs it every time.
const CONFIG_DUMP: ProbeCommand = {
  key: "dump",
  command: "containerd config dump",
  inputs: allOf(runningBinary("containerd", "containerd.service"), fileContent(CONTAINERD_CONFIG), runWhenRead("imports")),
};

// ---- containerd ----

export const containerdInstalledProbe: Probe = {
  id: "containerd-installed",
  title: "containerd binary",
  fixStepId: "containerd",
  commands: [
    { key: "local", command: `${CONTAINERD_BIN} --version`, inputs: runningBinary(CONTAINERD_BIN, "containerd.service") },
    { key: "package", command: packaged("containerd", ["/usr/bin/containerd"]) },
  ],
  parse(outputs): ProbeVerdict {
    const expected = `${CONTAINERD_BIN} --version answers (or a containerd from the distribution's packages)`;
    const local = outputs.local;
    if (!local) return noAnswer(expected);
    const localVersion = local.exitCode === 0 ? parseContainerdVersion(local.output) : null;
    const pkg = parsePackaged(outputs.package);
    const pkgVersion = pkg ? parseContainerdVersion(pkg.versionText) : null;
    if (localVersion) {
      const checks: ProbeCheck[] = [
        { name: "version", status: "ok", observed: localVersion.version, expected: "a release" },
        { name: "installed by", status: "ok", observed: "release tarball in /usr/local", expected: "one containerd" },
      ];
      if (pkg) {
        checks[1] = { name: "installed by", status: "warn", observed: `release tarball in /usr/local AND ${describeOwner(pkg)}`, expected: "one containerd" };
        return {
          status: "warn",
          observed: `containerd ${localVersion.version} in /usr/local and ${pkgVersion?.version ?? "another"} from ${describeOwner(pkg)}`,
          expected,
          detail: `Two containerd binaries: the unit that starts containerd decides which one runs, and an upgrade of one silently does nothing. Remove one of them (the package with its package manager, or ${CONTAINERD_BIN}).`,
          checks,
        };
      }
      return {
        status: "ok",
        observed: `containerd ${localVersion.version} (${localVersion.raw}) at ${CONTAINERD_BIN}`,
        expected,
        detail: "Installed from the release tarball.",
        checks,
      };
    }
    if (pkg && pkgVersion) {
      return {
        status: "ok",
        observed: `containerd ${pkgVersion.version} from ${describeOwner(pkg)}`,
        expected,
        detail: pkg.owner
          ? `containerd comes from the distribution's package ${pkg.owner.package}: nodeprep leaves its binaries to the package manager and configures it. The package does not contain the CNI plugins: the CNI plugins step still installs them.`
          : `containerd at ${pkg.path} was not installed by a package nodeprep could name.`,
        checks: [
          { name: "version", status: "ok", observed: pkgVersion.version, expected: "a release" },
          { name: "installed by", status: "ok", observed: describeOwner(pkg), expected: "one containerd" },
        ],
      };
    }
    if (notFound(local)) {
      return { status: "fail", observed: "not installed", expected, detail: `${CONTAINERD_BIN} does not exist and no packaged containerd was found.`, checks: [] };
    }
    return {
      status: "fail",
      observed: `${CONTAINERD_BIN} does not run (exit ${local.exitCode})`,
      expected,
      detail: `It exists but \`containerd --version\` failed: ${local.output.trim().split("\n").slice(-2).join(" / ") || "no output"}. A glibc build on musl or on an older glibc fails like this.`,
      checks: [],
    };
  },
};

/** What the containerd probe found, for plans: its version and whether a package owns it. */
export function installedContainerd(result: ProbeResult | undefined): { version: string; packaged: boolean } | null {
  if (!result || result.status === "fail" || result.status === "unknown") return null;
  const version = result.checks.find((c) => c.name === "version")?.observed;
  if (!version) return null;
  const by = result.checks.find((c) => c.name === "installed by")?.observed ?? "";
  return { version, packaged: !by.startsWith("release tarball") };
}

// ---- runc ----

export const runcInstalledProbe: Probe = {
  id: "runc-installed",
  title: "runc binary",
  fixStepId: "runc",
  commands: [
    { key: "local", command: `${RUNC_BIN} --version`, inputs: runWhenPresent([RUNC_BIN]) },
    { key: "package", command: packaged("runc", ["/usr/bin/runc", "/usr/sbin/runc"]) },
  ],
  parse(outputs): ProbeVerdict {
    const expected = `${RUNC_BIN} --version answers (or a runc from the distribution's packages)`;
    const local = outputs.local;
    if (!local) return noAnswer(expected);
    const v = local.exitCode === 0 ? parseRuncVersion(local.output) : null;
    const pkg = parsePackaged(outputs.package);
    const pv = pkg ? parseRuncVersion(pkg.versionText) : null;
    if (v) {
      const extra = [v.spec && `spec ${v.spec}`, v.libseccomp && `libseccomp ${v.libseccomp}`].filter(Boolean).join(", ");
      return {
        status: "ok",
        observed: `runc ${v.version} (${v.raw}) at ${RUNC_BIN}${extra ? `; ${extra}` : ""}`,
        expected,
        detail: pkg ? `Also ${describeOwner(pkg)} at ${pkg.path}: containerd runs the first runc on its PATH, ${RUNC_BIN}.` : "Installed from the release binary.",
        checks: [{ name: "version", status: "ok", observed: v.version, expected: "a release" }],
      };
    }
    if (pkg && pv) {
      return {
        status: "ok",
        observed: `runc ${pv.version} from ${describeOwner(pkg)}`,
        expected,
        detail: `runc at ${pkg.path} comes with the distribution's packages (Docker's containerd.io contains it): nodeprep leaves it to the package manager.`,
        checks: [{ name: "version", status: "ok", observed: pv.version, expected: "a release" }],
      };
    }
    if (notFound(local)) return { status: "fail", observed: "not installed", expected, detail: `${RUNC_BIN} does not exist and no packaged runc was found: containerd cannot start containers.`, checks: [] };
    return {
      status: "fail",
      observed: `${RUNC_BIN} does not run (exit ${local.exitCode})`,
      expected,
      detail: `\`runc --version\` failed: ${local.output.trim().split("\n").slice(-2).join(" / ") || "no output"}.`,
      checks: [],
    };
  },
};

// ---- CNI plugins ----

export const cniPluginsProbe: Probe = {
  id: "cni-plugins",
  title: "CNI plugins",
  fixStepId: "cni-plugins",
  commands: [{ key: "ls", command: `ls ${CNI_DIR}`, inputs: dirNames(CNI_DIR) }],
  parse(outputs): ProbeVerdict {
    const expected = `${REQUIRED_CNI_PLUGINS.join(", ")} in ${CNI_DIR}`;
    const out = outputs.ls;
    if (!out) return noAnswer(expected);
    const list = parseCniList(out.output, out.exitCode);
    if (list === null) {
      return { status: "fail", observed: `${CNI_DIR} does not exist`, expected, detail: "No CNI plugins: pods cannot get a network.", checks: [] };
    }
    const checks: ProbeCheck[] = REQUIRED_CNI_PLUGINS.map((name) => ({
      name,
      status: list.includes(name) ? "ok" : "fail",
      observed: list.includes(name) ? "present" : "missing",
      expected: "present",
    }));
    const missing = checks.filter((c) => c.status !== "ok").map((c) => c.name);
    return {
      status: missing.length ? "fail" : "ok",
      observed: list.length ? `${list.length} plugins: ${list.join(", ")}` : `${CNI_DIR} is empty`,
      expected,
      detail: missing.length ? `Missing: ${missing.join(", ")}.` : `All of ${REQUIRED_CNI_PLUGINS.join(", ")} are there.`,
      checks,
    };
  },
};

// ---- the service ----

export const containerdActiveProbe: Probe = {
  id: "containerd-active",
  title: "containerd service",
  fixStepId: "containerd-service",
  // One systemctl for the three answers (is-active, is-enabled, the unit file): each process counts on
  // a slow host, and a health scan runs this every time.
  commands: [
    {
      key: "show",
      command: "systemctl show -p ActiveState -p UnitFileState -p FragmentPath containerd",
      inputs: unitPresence("containerd.service"),
    },
  ],
  parse(outputs): ProbeVerdict {
    const expected = "active, and enabled at boot";
    const shown = outputs.show;
    if (!shown) return noAnswer(expected);
    const props = parseSystemctlShow(shown.output);
    if (shown.exitCode !== 0 || props.ActiveState === undefined) {
      const said = shown.output.trim().split("\n")[0] || `exit ${shown.exitCode}`;
      return { status: "fail", observed: "systemctl did not answer", expected, detail: `systemctl show containerd: ${said}`, checks: [] };
    }
    const state = props.ActiveState || "unknown";
    // systemctl show reports an empty UnitFileState when there is no unit file.
    const enabled = props.UnitFileState || "no unit file";
    const unit = props.FragmentPath ?? "";
    const checks: ProbeCheck[] = [
      { name: "is-active", status: state === "active" ? "ok" : "fail", observed: state, expected: "active" },
      { name: "is-enabled", status: enabled === "enabled" ? "ok" : "fail", observed: enabled, expected: "enabled" },
      { name: "unit file", status: unit ? "ok" : "fail", observed: unit || "none", expected: `${CONTAINERD_UNIT} (or a package's unit)` },
    ];
    const bad = checks.filter((c) => c.status !== "ok");
    return {
      status: bad.length ? "fail" : "ok",
      observed: `${state}, ${checks[1].observed}${unit ? ` (${unit})` : ""}`,
      expected,
      detail: !unit
        ? "There is no containerd.service unit."
        : bad.length
          ? `Not ${bad.map((c) => c.expected).join(" and ")}: run systemctl enable --now containerd.`
          : "containerd runs under systemd and starts at boot.",
      checks,
    };
  },
};

/** `systemctl show -p A -p B unit`: one `Name=value` line per property, in systemd's order. */
export function parseSystemctlShow(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) props[m[1]] = m[2];
  }
  return props;
}

/** The unit file systemd uses, from the service probe (FragmentPath of `systemctl show`). */
export const unitFileOf = (result: ProbeResult | undefined): string | null => {
  const v = result?.checks.find((c) => c.name === "unit file")?.observed;
  return v && v !== "none" ? v : null;
};

export const ctrVersionProbe: Probe = {
  id: "ctr-version",
  title: "containerd answers (ctr version)",
  fixStepId: "containerd-service",
  commands: [{ key: "ctr", command: withSocket("version") }],
  parse(outputs): ProbeVerdict {
    const expected = "Client and Server both print a version";
    const out = outputs.ctr;
    if (!out) return noAnswer(expected);
    const v = parseCtrVersion(out.output);
    const checks: ProbeCheck[] = [
      { name: "Client", status: v.client ? "ok" : "fail", observed: v.client?.version ?? "no answer", expected: "a version" },
      { name: "Server", status: v.server ? "ok" : "fail", observed: v.server?.version ?? "no answer", expected: "a version" },
    ];
    if (v.client && v.server) {
      return {
        status: "ok",
        observed: `client ${v.client.version}, server ${v.server.version}`,
        expected,
        detail: "The daemon answers on its socket.",
        checks,
      };
    }
    return {
      status: "fail",
      observed: v.client ? `client ${v.client.version}, server not answering` : out.output.trim().split("\n")[0] || `exit ${out.exitCode}`,
      expected,
      detail: v.error ? `ctr: ${v.error}` : "containerd does not answer on /run/containerd/containerd.sock.",
      checks,
    };
  },
};

export const criPluginProbe: Probe = {
  id: "cri-plugin",
  title: "CRI plugin loaded",
  fixStepId: "cgroup-driver",
  commands: [{ key: "plugins", command: withSocket("plugins ls") }],
  parse(outputs): ProbeVerdict {
    const expected = "io.containerd.grpc.v1 cri: ok";
    const out = outputs.plugins;
    if (!out) return noAnswer(expected);
    const rows = parsePluginsList(out.output);
    if (!rows) {
      return { status: "fail", observed: out.output.trim().split("\n")[0] || `exit ${out.exitCode}`, expected, detail: "containerd did not list its plugins.", checks: [] };
    }
    const cri = rows.find((r) => r.type === "io.containerd.grpc.v1" && r.id === "cri");
    const broken = rows.filter((r) => r.status === "error").map((r) => `${r.type} ${r.id}`);
    if (!cri) {
      return {
        status: "fail",
        observed: "not loaded",
        expected,
        detail: `The CRI plugin is not among containerd's ${rows.length} plugins: it is disabled (disabled_plugins = ["cri"] in ${CONTAINERD_CONFIG}, as Docker's containerd.io ships it). The kubelet cannot use containerd like this.`,
        checks: [{ name: "cri", status: "fail", observed: "not loaded", expected: "ok" }],
      };
    }
    return {
      status: cri.status === "ok" ? "ok" : "fail",
      observed: `cri: ${cri.status}`,
      expected,
      detail:
        cri.status === "ok"
          ? `The CRI plugin is loaded${broken.length ? ` (plugins in error, harmless here: ${broken.join(", ")})` : ""}.`
          : `The CRI plugin is ${cri.status}: see journalctl -u containerd.`,
      checks: [{ name: "cri", status: cri.status === "ok" ? "ok" : "fail", observed: cri.status, expected: "ok" }],
    };
  },
};

// ---- the cgroup driver ----

/** `containerd config dump` (the merged config) as the cgroup probes read it. */
/** config.toml as written, for what containerd 1.4's dump cannot show (its runtime options). */
const CONFIG_FILE: ProbeCommand = { key: "file", command: `cat ${CONTAINERD_CONFIG}`, inputs: fileContent(CONTAINERD_CONFIG) };

/**
 * containerd before 1.5 keeps a runtime's `options` as a raw TOML value (`*toml.Primitive` in the CRI
 * plugin's config), which `containerd config dump` prints as an empty table: SystemdCgroup cannot be
 * read from the dump there (Debian 11's containerd 1.4.13). Then the value containerd runs with is the
 * file's, read with the same parser, as long as containerd started after the file last changed (the
 * "running with this config" check). Null when the dump does show the options or the file says nothing.
 */
function hiddenOptionsFromFile(dumpText: string, file: CommandOutput | undefined): boolean | null {
  const config = parseContainerdConfig(dumpText);
  if (config.version === 3) return null;
  let runc: unknown = config;
  for (const key of ["plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes", "runc"]) runc = runc && typeof runc === "object" ? (runc as Record<string, unknown>)[key] : undefined;
  if (!runc || typeof runc !== "object") return null;
  const options = (runc as Record<string, unknown>).options;
  if (options !== undefined && (typeof options !== "object" || options === null || Object.keys(options).length > 0)) return null;
  if (!file || file.exitCode !== 0) return null;
  try {
    return effectiveSystemdCgroup(file.output, 1);
  } catch {
    return null;
  }
}

export function readDump(out: CommandOutput | undefined, file?: CommandOutput):
  | { kind: "missing" }
  | { kind: "error"; message: string }
  | { kind: "ok"; major: 1 | 2; systemdCgroup: boolean | null; criDisabled: string[]; fromFile: boolean } {
  if (!out) return { kind: "error", message: "no answer" };
  if (configMissing(out.output)) return { kind: "missing" };
  if (out.exitCode !== 0) return { kind: "error", message: out.output.trim().split("\n").slice(-2).join(" / ") || `exit ${out.exitCode}` };
  try {
    const text = stripLogLines(out.output);
    const config = parseContainerdConfig(text);
    const major = config.version === 3 ? 2 : 1;
    const disabled = Array.isArray(config.disabled_plugins) ? (config.disabled_plugins as unknown[]).filter((p): p is string => typeof p === "string") : [];
    const dumped = effectiveSystemdCgroup(text, major);
    const fromFile = dumped === null ? hiddenOptionsFromFile(text, file) : null;
    return {
      kind: "ok",
      major,
      systemdCgroup: dumped ?? fromFile,
      criDisabled: disabled.filter((p) => CRI_PLUGIN_IDS.includes(p)),
      fromFile: fromFile !== null,
    };
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
}

export const systemdCgroupProbe: Probe = {
  id: "containerd-systemd-cgroup",
  title: "containerd cgroup driver (effective)",
  fixStepId: "cgroup-driver",
  commands: [
    CONFIG_DUMP,
    {
      key: "restart",
      // Only while containerd listens (three processes otherwise spent on a host without it).
      command: `[ -S ${CONTAINERD_SOCKET} ] && t=$(systemctl show -p ActiveEnterTimestamp --value containerd) && [ -n "$t" ] && echo "$(stat -c %Y ${CONTAINERD_CONFIG}) $(date -d "$t" +%s)"`,
    },
    // Which cgroup version the driver works on, so the cell says what it means on this host.
    CGROUP_FSTYPE,
    CONFIG_FILE,
  ],
  parse(outputs): ProbeVerdict {
    const expected = "SystemdCgroup = true in containerd's effective config, CRI enabled, running with it";
    const dump = readDump(outputs.dump, outputs.file);
    if (!outputs.dump) return noAnswer(expected);
    if (dump.kind === "missing") {
      return {
        status: "fail",
        observed: `no ${CONTAINERD_CONFIG}: SystemdCgroup false (containerd's default, cgroupfs)`,
        expected,
        detail: "Without a config file containerd uses the cgroupfs driver, while kubeadm sets the kubelet to systemd: the two would disagree.",
        checks: [{ name: "SystemdCgroup", status: "fail", observed: "false (default)", expected: "true" }],
      };
    }
    if (dump.kind === "error") {
      return { status: "fail", observed: "containerd config dump failed", expected, detail: dump.message, checks: [] };
    }
    const restart = parseRestartCheck(outputs.restart?.output ?? "");
    const stale = restart !== null && restart.configMtime > restart.activeSince;
    const checks: ProbeCheck[] = [
      { name: "SystemdCgroup", status: dump.systemdCgroup === true ? "ok" : "fail", observed: String(dump.systemdCgroup ?? "not set (false)"), expected: "true" },
      {
        name: "CRI plugin enabled",
        status: dump.criDisabled.length ? "fail" : "ok",
        observed: dump.criDisabled.length ? `disabled_plugins = ${JSON.stringify(dump.criDisabled)}` : "yes",
        expected: "yes",
      },
      {
        name: "running with this config",
        status: stale ? "warn" : restart ? "ok" : "unknown",
        observed: stale ? "config.toml changed after containerd started" : restart ? "yes" : "not known (containerd not running)",
        expected: "yes",
      },
    ];
    const bad = checks.filter((c) => c.status === "fail");
    const status = bad.length ? "fail" : stale ? "warn" : "ok";
    const fstype = outputs.fstype;
    const host = fstype ? ` (${cgroupDriverShort(cgroupLayout(fstype.exitCode === 0 ? fstype.output : "", ""))})` : "";
    return {
      status,
      observed: `SystemdCgroup = ${dump.systemdCgroup ?? "not set"} (containerd ${dump.major}.x schema${dump.fromFile ? `; from ${CONTAINERD_CONFIG}: this containerd's config dump does not print runtime options` : ""})${dump.criDisabled.length ? ", CRI disabled" : ""}${stale ? ", not restarted since the config changed" : ""}`,
      expected,
      detail: bad.length
        ? `Wrong: ${bad.map((c) => `${c.name} is ${c.observed}`).join("; ")}. The cgroup driver step fixes ${CONTAINERD_CONFIG}${host}.`
        : stale
          ? `${CONTAINERD_CONFIG} changed after containerd started: restart containerd to apply it.`
          : `containerd uses the systemd cgroup driver${host}.`,
      checks,
    };
  },
};

/** containerd must be restarted: it runs with an older config.toml than the one on disk. */
export const needsRestart = (result: ProbeResult | undefined) =>
  result?.checks.some((c) => c.name === "running with this config" && c.status === "warn") ?? false;

export const kubeletCgroupDriverProbe: Probe = {
  id: "kubelet-cgroup-driver",
  title: "kubelet and containerd agree on the cgroup driver",
  fixStepId: "kubelet-cgroup-driver",
  commands: [
    { key: "kubelet", command: `cat ${KUBELET_CONFIG}`, inputs: fileContent(KUBELET_CONFIG) },
    CONFIG_DUMP,
    CONFIG_FILE,
  ],
  parse(outputs): ProbeVerdict {
    const expected = "the same driver (systemd) on both sides";
    const kubelet = outputs.kubelet;
    if (!kubelet) return noAnswer(expected);
    const dump = readDump(outputs.dump, outputs.file);
    const containerd =
      dump.kind === "ok" ? (dump.systemdCgroup ? "systemd" : "cgroupfs") : dump.kind === "missing" ? "cgroupfs" : "unknown";
    const absent = kubelet.exitCode !== 0 && /No such file or directory/.test(kubelet.output);
    if (absent) {
      const ok = containerd === "systemd";
      return {
        status: ok ? "ok" : "warn",
        observed: `no ${KUBELET_CONFIG} yet; containerd: ${containerd}`,
        expected,
        detail: ok
          ? "The kubelet is not configured yet. kubeadm 1.22 and later writes cgroupDriver: systemd, which matches containerd."
          : `The kubelet is not configured yet, and kubeadm 1.22+ will set it to systemd, but containerd uses ${containerd}: run the cgroup driver step first.`,
        checks: [
          { name: "kubelet", status: "ok", observed: "not configured yet (kubeadm: systemd)", expected: "systemd" },
          { name: "containerd", status: ok ? "ok" : "warn", observed: containerd, expected: "systemd" },
        ],
      };
    }
    if (kubelet.exitCode !== 0) return { status: "unknown", observed: `cannot read ${KUBELET_CONFIG}`, expected, detail: kubelet.output.trim(), checks: [] };
    const set = kubeletCgroupDriver(kubelet.output);
    const driver = set ?? "cgroupfs";
    const checks: ProbeCheck[] = [
      { name: "kubelet", status: driver === "systemd" ? "ok" : "fail", observed: set ? driver : "cgroupfs (cgroupDriver not set: the kubelet's default)", expected: "systemd" },
      { name: "containerd", status: containerd === "systemd" ? "ok" : containerd === "unknown" ? "unknown" : "fail", observed: containerd, expected: "systemd" },
    ];
    if (driver === containerd && driver === "systemd") {
      return { status: "ok", observed: "both systemd", expected, detail: "The kubelet and containerd both use the systemd cgroup driver.", checks };
    }
    const fix =
      driver !== "systemd"
        ? `Set \`cgroupDriver: systemd\` in ${KUBELET_CONFIG} and in the kubelet-config ConfigMap of kube-system (so \`kubeadm upgrade\` keeps it), then \`systemctl restart kubelet\`.`
        : "Run the cgroup driver step so containerd uses systemd too, then restart the kubelet.";
    return {
      status: containerd === "unknown" ? "unknown" : "fail",
      observed: `kubelet: ${driver}, containerd: ${containerd}`,
      expected,
      detail: `${driver === containerd ? "Both use cgroupfs, while systemd manages this host's cgroups: two managers of one hierarchy become unstable under resource pressure." : "The kubelet and containerd disagree: pods fail to start or are killed, with cgroup errors in the kubelet's log."} ${fix}`,
      checks,
    };
  },
};

export const runtimeProbes: readonly Probe[] = [
  containerdInstalledProbe,
  runcInstalledProbe,
  cniPluginsProbe,
  containerdActiveProbe,
  ctrVersionProbe,
  systemdCgroupProbe,
  criPluginProbe,
  kubeletCgroupDriverProbe,
];
