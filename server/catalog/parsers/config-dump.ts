import "server-only";
import { CRI_PLUGIN_IDS, effectiveSystemdCgroup, parseContainerdConfig } from "../../runtime/containerd-config";
import type { CommandOutput } from "../types";
import { configMissing, stripLogLines } from "./runtime";

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

/** `containerd config dump` (the merged config) as the cgroup probes read it; `file`: config.toml as written (for containerd 1.4). */
export function parseConfigDump(out: CommandOutput | undefined, file?: CommandOutput):
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
    return { kind: "ok", major, systemdCgroup: dumped ?? fromFile, criDisabled: disabled.filter((p) => CRI_PLUGIN_IDS.includes(p)), fromFile: fromFile !== null };
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
}
