import "server-only";
import { z } from "zod";
import type { ProbeCheck } from "@/lib/contracts/catalog";
import { parseSysctlConf, parseSysctlOutput } from "../parsers/sysctl";
import { fileContent, procValues } from "../inputs";
import type { Probe, Verdict } from "../types";
import { noAnswer } from "./verdicts";

export const SYSCTL_FILE = "/etc/sysctl.d/k8s.conf";
export const K8S_SYSCTLS = [
  "net.bridge.bridge-nf-call-iptables",
  "net.bridge.bridge-nf-call-ip6tables",
  "net.ipv4.ip_forward",
] as const;
export const WANTED_VALUE = "1";
/** Where the kernel shows a sysctl's live value: net.ipv4.ip_forward -> /proc/sys/net/ipv4/ip_forward. */
export const procSysPath = (key: string) => `/proc/sys/${key.replace(/\./g, "/")}`;

export const SysctlValuesData = z.object({
  /** By key, as the kernel holds it now; null: the kernel has no such key (cannot stat); absent: not reported. */
  values: z.record(z.string(), z.string().nullable()),
});
export type SysctlValuesData = z.infer<typeof SysctlValuesData>;

export const SysctlPersistedData = z.object({
  exists: z.boolean(),
  /** The value the file sets for each of K8S_SYSCTLS (the last assignment wins); null: not set. */
  values: z.record(z.string(), z.string().nullable()),
});
export type SysctlPersistedData = z.infer<typeof SysctlPersistedData>;

/** The seed's verification command, shown raw; one verdict per value. */
export const sysctlValuesProbe: Probe<SysctlValuesData> = {
  id: "sysctl-values",
  title: "kernel parameters (live)",
  fixStepId: "sysctl",
  data: SysctlValuesData,
  commands: [
    {
      key: "sysctl",
      command: `sysctl ${K8S_SYSCTLS.join(" ")}`,
      inputs: procValues(K8S_SYSCTLS.map(procSysPath)),
    },
  ],
  parse(outputs): Verdict<SysctlValuesData> {
    const expected = K8S_SYSCTLS.map((k) => `${k} = ${WANTED_VALUE}`).join(", ");
    const out = outputs.sysctl;
    if (!out) return noAnswer(expected);
    const values = parseSysctlOutput(out.output);
    const checks: ProbeCheck[] = K8S_SYSCTLS.map((key) => {
      const v = values.get(key);
      if (!v) return { name: key, status: "unknown", observed: "not reported", expected: WANTED_VALUE };
      if ("error" in v) {
        const bridge = key.startsWith("net.bridge.");
        return {
          name: key,
          status: "fail",
          observed: bridge ? "missing (br_netfilter is not loaded)" : `missing (${v.error})`,
          expected: WANTED_VALUE,
        };
      }
      return { name: key, status: v.value === WANTED_VALUE ? "ok" : "fail", observed: v.value, expected: WANTED_VALUE };
    });
    const bad = checks.filter((c) => c.status !== "ok");
    const bridgeMissing = K8S_SYSCTLS.some((key) => key.startsWith("net.bridge.") && "error" in (values.get(key) ?? {}));
    return {
      status: bad.length === 0 ? "ok" : checks.some((c) => c.status === "fail") ? "fail" : "unknown",
      observed: checks.map((c) => `${c.name} = ${c.observed}`).join(", "),
      expected,
      detail:
        bad.length === 0
          ? "All three are 1."
          : bridgeMissing
            ? "/proc/sys/net/bridge does not exist until br_netfilter is loaded (step Kernel modules)."
            : `Not 1: ${bad.map((c) => c.name).join(", ")}.`,
      checks,
      data: {
        values: Object.fromEntries(K8S_SYSCTLS.flatMap((key) => {
          const v = values.get(key);
          return v ? [[key, "error" in v ? null : v.value]] : [];
        })),
      },
    };
  },
};

export const sysctlPersistedProbe: Probe<SysctlPersistedData> = {
  id: "sysctl-persisted",
  title: "parameters set at boot",
  fixStepId: "sysctl",
  data: SysctlPersistedData,
  commands: [{ key: "cat", command: `cat ${SYSCTL_FILE}`, inputs: fileContent(SYSCTL_FILE) }],
  parse(outputs): Verdict<SysctlPersistedData> {
    const expected = `${SYSCTL_FILE} sets the three parameters to ${WANTED_VALUE}`;
    const out = outputs.cat;
    if (!out) return noAnswer(expected);
    if (out.exitCode !== 0) {
      return {
        status: "fail",
        observed: `${SYSCTL_FILE} is missing`,
        expected,
        detail: "The values would be lost at the next reboot.",
        checks: [],
        data: { exists: false, values: Object.fromEntries(K8S_SYSCTLS.map((k) => [k, null])) },
      };
    }
    const conf = parseSysctlConf(out.output);
    const checks: ProbeCheck[] = K8S_SYSCTLS.map((key) => {
      const v = conf.get(key);
      return { name: key, status: v === WANTED_VALUE ? "ok" : "fail", observed: v ?? "not set", expected: WANTED_VALUE };
    });
    const bad = checks.filter((c) => c.status !== "ok");
    return {
      status: bad.length ? "fail" : "ok",
      observed: checks.map((c) => `${c.name} = ${c.observed}`).join(", "),
      expected,
      detail: bad.length ? `Not set to 1 in the file: ${bad.map((c) => c.name).join(", ")}.` : "Applied at every boot by systemd-sysctl.",
      checks,
      data: { exists: true, values: Object.fromEntries(K8S_SYSCTLS.map((k) => [k, conf.get(k) ?? null])) },
    };
  },
};
