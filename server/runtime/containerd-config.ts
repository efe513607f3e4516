import "server-only";
import { parse, stringify, TomlError } from "smol-toml";

// /etc/containerd/config.toml with the systemd cgroup driver, for the containerd major version on
// the host. Config schema versions differ by major (https://github.com/containerd/containerd/blob/main/docs/cri/config.md):
//   containerd 1.x: `version = 2`, runc options under plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc
//   containerd 2.x: `version = 3`, runc options under plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc
// An operator's other settings are kept: we parse, change only what the step owns, and re-render
// (comments are not kept; the wizard shows the diff before anything is written).

type Table = Record<string, unknown>;

export const CRI_PLUGIN_IDS = ["cri", "io.containerd.grpc.v1.cri", "io.containerd.cri.v1.runtime", "io.containerd.cri.v1.images"];

export interface ContainerdConfigPlan {
  content: string;
  /** Human-readable list of what changed, empty when the existing file is already right. */
  changes: string[];
  /** Problems the operator should know about even when nothing changes. */
  warnings: string[];
}

export class ContainerdConfigError extends Error {}

function runcPath(major: 1 | 2): string[] {
  return major === 1
    ? ["plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes", "runc"]
    : ["plugins", "io.containerd.cri.v1.runtime", "containerd", "runtimes", "runc"];
}

function tableAt(root: Table, path: string[]): Table {
  let t = root;
  for (const key of path) {
    const next = t[key];
    if (next === undefined) t[key] = {};
    else if (typeof next !== "object" || next === null || Array.isArray(next)) {
      throw new ContainerdConfigError(`config.toml: ${path.join(".")} is not a table (found ${JSON.stringify(next)} at ${key})`);
    }
    t = t[key] as Table;
  }
  return t;
}

export function parseContainerdConfig(text: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : "";
    throw new ContainerdConfigError(`config.toml is not valid TOML${where}: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** The config schema version a file declares (containerd reads a file without `version` as 1). */
export function configVersion(config: Table): number {
  return typeof config.version === "number" ? config.version : 1;
}

export function planContainerdConfig(major: 1 | 2, existing: string | null): ContainerdConfigPlan {
  const changes: string[] = [];
  const warnings: string[] = [];
  const config: Table = existing && existing.trim() ? parseContainerdConfig(existing) : {};
  const wantedVersion = major === 1 ? 2 : 3;
  const hadVersion = configVersion(config);
  if (existing && existing.trim() && hadVersion !== wantedVersion) {
    if (hadVersion > wantedVersion) {
      throw new ContainerdConfigError(
        `config.toml declares version ${hadVersion}, newer than containerd ${major}.x understands (version ${wantedVersion}); fix the file or install a matching containerd`,
      );
    }
    warnings.push(
      `config.toml declared schema version ${hadVersion}; it is rewritten as version ${wantedVersion}. Settings under old plugin names are kept as they are but may be ignored: review the diff.`,
    );
  }
  if (config.version !== wantedVersion) {
    changes.push(`set version = ${wantedVersion} (containerd ${major}.x schema)`);
    config.version = wantedVersion;
  }

  if (Array.isArray(config.disabled_plugins)) {
    const disabled = config.disabled_plugins as unknown[];
    const kept = disabled.filter((p) => !(typeof p === "string" && CRI_PLUGIN_IDS.includes(p)));
    if (kept.length !== disabled.length) {
      changes.push(
        `re-enable the CRI plugin: remove ${disabled.filter((p) => !kept.includes(p)).map((p) => JSON.stringify(p)).join(", ")} from disabled_plugins (Docker's containerd.io package disables it; the kubelet cannot talk to containerd without it)`,
      );
      config.disabled_plugins = kept;
    }
  }

  const runc = tableAt(config, runcPath(major));
  if (runc.runtime_type !== "io.containerd.runc.v2") {
    changes.push(`set ${runcPath(major).slice(1).join(".")}.runtime_type = "io.containerd.runc.v2"`);
    runc.runtime_type = "io.containerd.runc.v2";
  }
  const options = tableAt(runc, ["options"]);
  if (options.SystemdCgroup !== true) {
    changes.push(`set SystemdCgroup = true (was ${options.SystemdCgroup === undefined ? "unset: containerd's default is false, cgroupfs" : JSON.stringify(options.SystemdCgroup)})`);
    options.SystemdCgroup = true;
  }

  const rendered = renderToml(config);
  if (changes.length === 0 && existing !== null) return { content: existing, changes, warnings };
  return { content: rendered, changes, warnings };
}

function renderToml(config: Table): string {
  // `version` first, as containerd's own `config default` prints it, so a reader sees the schema at once.
  const { version, ...rest } = config;
  const head = stringify({ version });
  const body = stringify(rest);
  return `# Managed in part by nodeprep: SystemdCgroup and the CRI plugin. Other settings are yours.\n${head}\n${body}${body.endsWith("\n") ? "" : "\n"}`;
}

/**
 * Read the effective SystemdCgroup from `containerd config dump` output (the merged config
 * containerd actually runs with). null = the runc runtime or the option is absent.
 */
export function effectiveSystemdCgroup(dump: string, major: 1 | 2): boolean | null {
  const config = parseContainerdConfig(dump);
  let t: unknown = config;
  for (const key of [...runcPath(major), "options", "SystemdCgroup"]) {
    if (typeof t !== "object" || t === null) return null;
    t = (t as Table)[key];
  }
  return typeof t === "boolean" ? t : null;
}
