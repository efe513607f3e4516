import "server-only";
import { z } from "zod";
import type { ProbeCheck, ProbeResult } from "@/lib/contracts/catalog";
import { parseConfigDump } from "../parsers/config-dump";
import { kubeletCgroupDriver, parseRestartCheck } from "../parsers/runtime";
import { allOf, fileContent, runningBinary, runWhenRead } from "../inputs";
import { dataOf } from "../data";
import type { Probe, ProbeCommand, Verdict } from "../types";
import { CGROUP_FSTYPE, cgroupDriverShort, cgroupLayout } from "./host";
import { CONTAINERD_CONFIG, CONTAINERD_SOCKET, KUBELET_CONFIG } from "./runtime-paths";
import { noAnswer } from "./verdicts";

// The cgroup driver: containerd's effective one (from its merged config) and whether the kubelet agrees.

// Two probes read containerd's effective config: one command (and one section of the batch) for both.
// It depends on the binary (its defaults) and the config file; files the config imports are not
// followed here, so a config that imports runs it every time.
const CONFIG_DUMP: ProbeCommand = {
  key: "dump",
  command: "containerd config dump",
  inputs: allOf(runningBinary("containerd", "containerd.service"), fileContent(CONTAINERD_CONFIG), runWhenRead("imports")),
};

/** config.toml as written, for what containerd 1.4's dump cannot show (its runtime options). */
const CONFIG_FILE: ProbeCommand = { key: "file", command: `cat ${CONTAINERD_CONFIG}`, inputs: fileContent(CONTAINERD_CONFIG) };

export const SystemdCgroupData = z.discriminatedUnion("config", [
  /** No config.toml: containerd's defaults (cgroupfs). */
  z.object({ config: z.literal("missing") }),
  /** `containerd config dump` failed, or printed something that is not TOML. */
  z.object({ config: z.literal("error"), message: z.string() }),
  z.object({
    config: z.literal("read"),
    /** The containerd major version whose config schema the dump has (1: version 2 files, 2: version 3). */
    major: z.union([z.literal(1), z.literal(2)]),
    /** SystemdCgroup for runc in the effective config; null: not set (false). */
    systemdCgroup: z.boolean().nullable(),
    /** CRI plugin ids in disabled_plugins. */
    criDisabled: z.array(z.string()),
    /**
     * Whether the running containerd started after config.toml last changed: "stale" means it runs with
     * an older config and needs a restart; "unknown" when containerd is not running.
     */
    running: z.enum(["current", "stale", "unknown"]),
  }),
]);
export type SystemdCgroupData = z.infer<typeof SystemdCgroupData>;

export const systemdCgroupProbe: Probe<SystemdCgroupData> = {
  id: "containerd-systemd-cgroup",
  title: "containerd cgroup driver (effective)",
  fixStepId: "cgroup-driver",
  data: SystemdCgroupData,
  commands: [
    CONFIG_DUMP,
    {
      key: "restart",
      // Only while containerd listens (three processes otherwise spent on a host without it).
      command: `[ -S ${CONTAINERD_SOCKET} ] && t=$(systemctl show -p ActiveEnterTimestamp --value containerd) && [ -n "$t" ] && echo "$(stat -c %Y ${CONTAINERD_CONFIG}) $(date -d "$t" +%s)"`,
      // Two epoch seconds (config.toml's mtime, containerd's start): read by the parser, meaningless in a cell.
      helper: true,
    },
    // Which cgroup version the driver works on, so the cell says what it means on this host.
    CGROUP_FSTYPE,
    CONFIG_FILE,
  ],
  parse(outputs): Verdict<SystemdCgroupData> {
    const expected = "SystemdCgroup = true in containerd's effective config, CRI enabled, running with it";
    const dump = parseConfigDump(outputs.dump, outputs.file);
    if (!outputs.dump) return noAnswer(expected);
    if (dump.kind === "missing") {
      return {
        status: "fail",
        observed: `no ${CONTAINERD_CONFIG}: SystemdCgroup false (containerd's default, cgroupfs)`,
        expected,
        detail: "Without a config file containerd uses the cgroupfs driver, while kubeadm sets the kubelet to systemd: the two would disagree.",
        checks: [{ name: "SystemdCgroup", status: "fail", observed: "false (default)", expected: "true" }],
        data: { config: "missing" },
      };
    }
    if (dump.kind === "error") {
      return { status: "fail", observed: "containerd config dump failed", expected, detail: dump.message, checks: [], data: { config: "error", message: dump.message } };
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
      data: {
        config: "read",
        major: dump.major,
        systemdCgroup: dump.systemdCgroup,
        criDisabled: dump.criDisabled,
        running: stale ? "stale" : restart ? "current" : "unknown",
      },
    };
  },
};

/** containerd must be restarted: it runs with an older config.toml than the one on disk. */
export const needsRestart = (result: ProbeResult | undefined) => {
  const data = dataOf(systemdCgroupProbe, result);
  return data?.config === "read" && data.running === "stale";
};

export const KubeletCgroupDriverData = z.object({
  /** /var/lib/kubelet/config.yaml: not there yet, unreadable, or its cgroupDriver (null: not set, the kubelet's default cgroupfs). */
  kubelet: z.discriminatedUnion("config", [
    z.object({ config: z.literal("absent") }),
    z.object({ config: z.literal("unreadable") }),
    z.object({ config: z.literal("read"), cgroupDriver: z.string().nullable() }),
  ]),
  /** containerd's effective driver. */
  containerd: z.enum(["systemd", "cgroupfs", "unknown"]),
});
export type KubeletCgroupDriverData = z.infer<typeof KubeletCgroupDriverData>;

export const kubeletCgroupDriverProbe: Probe<KubeletCgroupDriverData> = {
  id: "kubelet-cgroup-driver",
  title: "kubelet and containerd agree on the cgroup driver",
  fixStepId: "kubelet-cgroup-driver",
  data: KubeletCgroupDriverData,
  commands: [
    { key: "kubelet", command: `cat ${KUBELET_CONFIG}`, inputs: fileContent(KUBELET_CONFIG) },
    CONFIG_DUMP,
    CONFIG_FILE,
  ],
  parse(outputs): Verdict<KubeletCgroupDriverData> {
    const expected = "the same driver (systemd) on both sides";
    const kubelet = outputs.kubelet;
    if (!kubelet) return noAnswer(expected);
    const dump = parseConfigDump(outputs.dump, outputs.file);
    const containerd =
      dump.kind === "ok" ? (dump.systemdCgroup ? "systemd" : "cgroupfs") : dump.kind === "missing" ? "cgroupfs" : ("unknown" as const);
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
        data: { kubelet: { config: "absent" }, containerd },
      };
    }
    if (kubelet.exitCode !== 0) {
      return {
        status: "unknown",
        observed: `cannot read ${KUBELET_CONFIG}`,
        expected,
        detail: kubelet.output.trim(),
        checks: [],
        data: { kubelet: { config: "unreadable" }, containerd },
      };
    }
    const set = kubeletCgroupDriver(kubelet.output);
    const driver = set ?? "cgroupfs";
    const data: KubeletCgroupDriverData = { kubelet: { config: "read", cgroupDriver: set }, containerd };
    const checks: ProbeCheck[] = [
      { name: "kubelet", status: driver === "systemd" ? "ok" : "fail", observed: set ? driver : "cgroupfs (cgroupDriver not set: the kubelet's default)", expected: "systemd" },
      { name: "containerd", status: containerd === "systemd" ? "ok" : containerd === "unknown" ? "unknown" : "fail", observed: containerd, expected: "systemd" },
    ];
    if (driver === containerd && driver === "systemd") {
      return { status: "ok", observed: "both systemd", expected, detail: "The kubelet and containerd both use the systemd cgroup driver.", checks, data };
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
      data,
    };
  },
};
