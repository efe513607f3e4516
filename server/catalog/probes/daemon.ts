import "server-only";
import { z } from "zod";
import type { ProbeCheck } from "@/lib/contracts/catalog";
import { parseCtrVersion, parsePluginsList, parseSystemctlShow } from "../parsers/runtime";
import { unitPresence } from "../inputs";
import type { Probe, Verdict } from "../types";
import { CONTAINERD_CONFIG, CONTAINERD_SOCKET, CONTAINERD_UNIT } from "./runtime-paths";
import { noAnswer } from "./verdicts";

// The running containerd: its systemd service, whether it answers on its socket, and its CRI plugin.

// Without a socket, ctr keeps redialling for about 10 s before it gives up (measured on a practice
// node): ask only when containerd is listening, so a health scan of a fresh host stays quick.
const withSocket = (ctrArgs: string) =>
  `if [ -S ${CONTAINERD_SOCKET} ]; then ctr --connect-timeout 5s ${ctrArgs}; else echo 'no socket at ${CONTAINERD_SOCKET}: containerd is not running'; false; fi`;

export const ContainerdServiceData = z.object({
  /** systemd's ActiveState ("active", "inactive", "failed", ...). */
  activeState: z.string(),
  /** systemd's UnitFileState ("enabled", "disabled", ...); empty when there is no unit file. */
  unitFileState: z.string(),
  /** The unit file systemd uses (FragmentPath); null: none. */
  unitFile: z.string().nullable(),
});
export type ContainerdServiceData = z.infer<typeof ContainerdServiceData>;

export const containerdActiveProbe: Probe<ContainerdServiceData> = {
  id: "containerd-active",
  title: "containerd service",
  fixStepId: "containerd-service",
  data: ContainerdServiceData,
  // One systemctl for the three answers (is-active, is-enabled, the unit file): each process counts on
  // a slow host, and a health scan runs this every time.
  commands: [
    {
      key: "show",
      command: "systemctl show -p ActiveState -p UnitFileState -p FragmentPath containerd",
      inputs: unitPresence("containerd.service"),
    },
  ],
  parse(outputs): Verdict<ContainerdServiceData> {
    const expected = "active, and enabled at boot";
    const shown = outputs.show;
    if (!shown) return noAnswer(expected);
    const props = parseSystemctlShow(shown.output);
    if (shown.exitCode !== 0 || props.ActiveState === undefined) {
      const said = shown.output.trim().split("\n")[0] || `exit ${shown.exitCode}`;
      return { status: "fail", observed: "systemctl did not answer", expected, detail: `systemctl show containerd: ${said}`, checks: [], data: null };
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
      data: { activeState: props.ActiveState, unitFileState: props.UnitFileState ?? "", unitFile: unit || null },
    };
  },
};

export const CtrVersionData = z.object({
  /** ctr's own version; null: ctr did not run. */
  client: z.string().nullable(),
  /** The daemon's version; null: containerd did not answer on its socket. */
  server: z.string().nullable(),
  /** What ctr said when it could not reach the daemon. */
  error: z.string().nullable(),
});
export type CtrVersionData = z.infer<typeof CtrVersionData>;

export const ctrVersionProbe: Probe<CtrVersionData> = {
  id: "ctr-version",
  title: "containerd answers (ctr version)",
  fixStepId: "containerd-service",
  data: CtrVersionData,
  commands: [{ key: "ctr", command: withSocket("version"), shown: "ctr version" }],
  parse(outputs): Verdict<CtrVersionData> {
    const expected = "Client and Server both print a version";
    const out = outputs.ctr;
    if (!out) return noAnswer(expected);
    const v = parseCtrVersion(out.output);
    const data = { client: v.client?.version ?? null, server: v.server?.version ?? null, error: v.error };
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
        data,
      };
    }
    return {
      status: "fail",
      observed: v.client ? `client ${v.client.version}, server not answering` : out.output.trim().split("\n")[0] || `exit ${out.exitCode}`,
      expected,
      detail: v.error ? `ctr: ${v.error}` : "containerd does not answer on /run/containerd/containerd.sock.",
      checks,
      data,
    };
  },
};

export const CriPluginData = z.object({
  /** The CRI plugin's status in `ctr plugins ls` ("ok", "error", "skip"); null: not among the plugins. */
  cri: z.string().nullable(),
  /** Other plugins in error ("<type> <id>"). */
  inError: z.array(z.string()),
});
export type CriPluginData = z.infer<typeof CriPluginData>;

export const criPluginProbe: Probe<CriPluginData> = {
  id: "cri-plugin",
  title: "CRI plugin loaded",
  fixStepId: "cgroup-driver",
  data: CriPluginData,
  commands: [{ key: "plugins", command: withSocket("plugins ls"), shown: "ctr plugins ls" }],
  parse(outputs): Verdict<CriPluginData> {
    const expected = "io.containerd.grpc.v1 cri: ok";
    const out = outputs.plugins;
    if (!out) return noAnswer(expected);
    const rows = parsePluginsList(out.output);
    if (!rows) {
      return { status: "fail", observed: out.output.trim().split("\n")[0] || `exit ${out.exitCode}`, expected, detail: "containerd did not list its plugins.", checks: [], data: null };
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
        data: { cri: null, inError: broken },
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
      data: { cri: cri.status, inError: broken },
    };
  },
};
