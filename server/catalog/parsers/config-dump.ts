import "server-only";
import { CRI_PLUGIN_IDS, effectiveSystemdCgroup, parseContainerdConfig } from "../../runtime/containerd-config";
import type { CommandOutput } from "../types";
import { configMissing, stripLogLines } from "./runtime";

/** `containerd config dump` (the merged config) as the cgroup probes read it. */
export function parseConfigDump(out: CommandOutput | undefined):
  | { kind: "missing" }
  | { kind: "error"; message: string }
  | { kind: "ok"; major: 1 | 2; systemdCgroup: boolean | null; criDisabled: string[] } {
  if (!out) return { kind: "error", message: "no answer" };
  if (configMissing(out.output)) return { kind: "missing" };
  if (out.exitCode !== 0) return { kind: "error", message: out.output.trim().split("\n").slice(-2).join(" / ") || `exit ${out.exitCode}` };
  try {
    const text = stripLogLines(out.output);
    const config = parseContainerdConfig(text);
    const major = config.version === 3 ? 2 : 1;
    const disabled = Array.isArray(config.disabled_plugins) ? (config.disabled_plugins as unknown[]).filter((p): p is string => typeof p === "string") : [];
    return { kind: "ok", major, systemdCgroup: effectiveSystemdCgroup(text, major), criDisabled: disabled.filter((p) => CRI_PLUGIN_IDS.includes(p)) };
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
}
