import "server-only";
import { z } from "zod";
import { builtinMatches, moduleName, parseLsmod } from "../parsers/lsmod";
import { fileContent, moduleLines, SAME_BOOT } from "../inputs";
import type { Probe, Verdict } from "../types";
import { noAnswer } from "./verdicts";

export const MODULES_LOAD_FILE = "/etc/modules-load.d/k8s.conf";
export const K8S_MODULES = ["overlay", "br_netfilter"] as const;

export const ModuleData = z.object({
  /** loaded: in lsmod; built-in: compiled into the running kernel (never in lsmod); missing: neither. */
  state: z.enum(["loaded", "built-in", "missing"]),
  /** lsmod's size and use count, when loaded. */
  lsmod: z.object({ size: z.number().int(), useCount: z.number().int() }).nullable(),
});
export type ModuleData = z.infer<typeof ModuleData>;

export const ModulesPersistedData = z.object({
  exists: z.boolean(),
  /** The module names the file lists (comments left out), in modprobe's spelling. */
  listed: z.array(z.string()),
});
export type ModulesPersistedData = z.infer<typeof ModulesPersistedData>;

// Constant names only: these strings are the commands, no outside value is ever spliced in.
const SAFE = /^[a-z0-9_]+$/;

/**
 * Loaded (lsmod), or built into the kernel: then it never appears in lsmod, and /sys/module/<name>
 * exists only when the module has parameters, so modules.builtin is the reliable list (as in
 * kubernetes/system-validators' kernel validator).
 */
export function moduleProbe(name: string, all: readonly string[] = K8S_MODULES): Probe<ModuleData> {
  for (const n of [name, ...all]) if (!SAFE.test(n)) throw new Error(`module name ${n} is not a plain name`);
  // The same three commands for every module probe (about all of `all` at once): a batch runs a
  // command that several probes share only once (observation()), and each tool start counts on a host.
  const names = all.includes(name) ? all : [...all, name];
  const either = names.join("|");
  const loaded = moduleLines(names);
  return {
    id: `module-${name.replace(/_/g, "-")}`,
    title: `${name} module`,
    fixStepId: "kernel-modules",
    data: ModuleData,
    commands: [
      { key: "lsmod", command: `lsmod | grep -E '^(${either}) '`, inputs: loaded },
      // The running kernel's built-ins cannot change before a reboot.
      { key: "builtin", command: `grep -E '/(${either})\\.ko' "/lib/modules/$(uname -r)/modules.builtin"`, inputs: SAME_BOOT },
      // /sys/module/<name> comes and goes with loading, or is there for good (a built-in with parameters).
      { key: "sysfs", command: `ls -d ${names.map((n) => `/sys/module/${n}`).join(" ")}`, inputs: loaded },
    ],
    parse(outputs): Verdict<ModuleData> {
      const expected = "loaded, or built into the kernel";
      const row = parseLsmod(outputs.lsmod?.output ?? "").find((r) => r.name === moduleName(name));
      if (row) {
        return {
          status: "ok",
          observed: `loaded (lsmod: size ${row.size}, used by ${row.useCount})`,
          expected,
          detail: `${name} is loaded.`,
          checks: [],
          data: { state: "loaded", lsmod: { size: row.size, useCount: row.useCount } },
        };
      }
      const builtin = builtinMatches(outputs.builtin?.output ?? "", name);
      // ls prints the directories that exist (and, stderr merged, complains about the others).
      const sysfs = (outputs.sysfs?.output ?? "").split("\n").includes(`/sys/module/${name}`);
      if (builtin.length > 0 || sysfs) {
        return {
          status: "ok",
          observed: "built into the kernel",
          expected,
          detail: builtin.length
            ? `${name} is built into the kernel (${builtin[0]} in modules.builtin): it never shows in lsmod and needs no loading.`
            : `${name} is not in lsmod but /sys/module/${name} exists: it is built into the kernel.`,
          checks: [],
          data: { state: "built-in", lsmod: null },
        };
      }
      if (outputs.lsmod === undefined) {
        return noAnswer(expected);
      }
      return {
        status: "fail",
        observed: "not loaded",
        expected,
        detail: `${name} is not loaded and not built into the kernel: load it with modprobe ${name}.`,
        checks: [],
        data: { state: "missing", lsmod: null },
      };
    },
  };
}

/** Persistence: systemd-modules-load reads /etc/modules-load.d/*.conf at every boot. */
export const modulesPersistedProbe: Probe<ModulesPersistedData> = {
  id: "modules-persisted",
  title: "modules loaded at boot",
  fixStepId: "kernel-modules",
  data: ModulesPersistedData,
  commands: [{ key: "cat", command: `cat ${MODULES_LOAD_FILE}`, inputs: fileContent(MODULES_LOAD_FILE) }],
  parse(outputs): Verdict<ModulesPersistedData> {
    const expected = `${MODULES_LOAD_FILE} lists ${K8S_MODULES.join(" and ")}`;
    const out = outputs.cat;
    if (!out) return noAnswer(expected);
    if (out.exitCode !== 0) {
      return {
        status: "fail",
        observed: `${MODULES_LOAD_FILE} is missing`,
        expected,
        detail: "Without it the modules are gone after the next reboot.",
        checks: [],
        data: { exists: false, listed: [] },
      };
    }
    const listed = new Set(
      out.output
        .split("\n")
        .map((l) => l.replace(/[#;].*$/, "").trim())
        .filter(Boolean)
        .map(moduleName),
    );
    const checks = K8S_MODULES.map((m) => ({
      name: m,
      status: listed.has(m) ? ("ok" as const) : ("fail" as const),
      observed: listed.has(m) ? "listed" : "not listed",
      expected: "listed",
    }));
    const missing = checks.filter((c) => c.status === "fail").map((c) => c.name);
    return {
      status: missing.length ? "fail" : "ok",
      observed: missing.length ? `not listed: ${missing.join(", ")}` : `lists ${K8S_MODULES.join(", ")}`,
      expected,
      detail: missing.length ? `${missing.join(" and ")} would not be loaded at boot.` : "Both modules are loaded at every boot.",
      checks,
      data: { exists: true, listed: [...listed] },
    };
  },
};
