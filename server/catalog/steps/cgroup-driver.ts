import "server-only";
import { planContainerdConfig } from "../../runtime/containerd-config";
import { majorOf } from "../parsers/runtime";
import { installedContainerd } from "../probes/binaries";
import { needsRestart } from "../probes/cgroup-driver";
import { CONTAINERD_CONFIG } from "../probes/runtime-paths";
import type { Action, Step } from "../types";

export const cgroupDriverStep: Step = {
  id: "cgroup-driver",
  title: "cgroup driver",
  summary: "containerd on the systemd cgroup driver with the CRI plugin enabled, verified in its effective config",
  // Restarting containerd to apply the file needs the service (step "containerd service").
  requires: ["containerd-installed", "containerd-active"],
  observe: { probes: ["cgroup-version", "containerd-systemd-cgroup"], files: [CONTAINERD_CONFIG] },
  plan(facts, observed) {
    const actions: Action[] = [];
    const notes: string[] = [];
    if (facts.init !== "systemd") {
      throw new Error(
        "the systemd cgroup driver needs systemd as init, and this host's PID 1 is not systemd: keep containerd and the kubelet both on cgroupfs here (nodeprep does not configure that)",
      );
    }
    const cgroup = observed.probes["cgroup-version"];
    // The explanation follows the host: which cgroup version it runs and what that means for the driver.
    if (cgroup) notes.push(`This host runs cgroup ${cgroup.observed}. ${cgroup.detail}`);
    const installed = installedContainerd(observed.probes["containerd-installed"]);
    if (!installed) throw new Error("containerd's version is not known: run the containerd step first");
    const major = majorOf(installed.version);
    if (major !== 1 && major !== 2) throw new Error(`containerd ${installed.version}: nodeprep knows the config schema of containerd 1.x and 2.x only`);

    const state = observed.files[CONTAINERD_CONFIG];
    if (state?.kind === "other") throw new Error(`${CONTAINERD_CONFIG}: ${state.detail}`);
    const existing = state?.kind === "file" ? state.content : null;
    // Invalid TOML or a newer schema throws ContainerdConfigError with the line: the run ends with it.
    const config = planContainerdConfig(major, existing);
    notes.push(...config.warnings);
    const changed = config.changes.length > 0;
    if (changed) {
      actions.push({
        kind: "write-file",
        path: CONTAINERD_CONFIG,
        mode: state?.kind === "file" ? parseInt(state.mode, 8) : 0o644,
        content: config.content,
        reason: `containerd ${installed.version} (${major}.x schema): ${config.changes.join("; ")}${existing ? "; your other settings are kept (comments are not)" : ""}`,
      });
    }
    const effective = observed.probes["containerd-systemd-cgroup"];
    if (changed || needsRestart(effective)) {
      actions.push({
        kind: "run-command",
        argv: ["systemctl", "restart", "containerd"],
        reason: changed ? "containerd reads config.toml only at start" : `${CONTAINERD_CONFIG} changed after containerd started: it still runs with the old settings`,
        when: { changed: [CONTAINERD_CONFIG] },
      });
    }
    if (!changed && effective && effective.status === "fail") {
      notes.push(`${CONTAINERD_CONFIG} already says what nodeprep wants, yet containerd's effective config is wrong: ${effective.observed}. Look for an \`imports\` file that overrides it.`);
    }
    return { actions, notes };
  },
  verify: ["containerd-systemd-cgroup", "cri-plugin"],
};
