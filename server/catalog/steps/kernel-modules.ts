import "server-only";
import { writeFileIfNeeded } from "../actions";
import { dataOf } from "../data";
import { K8S_MODULES, MODULES_LOAD_FILE, moduleProbe } from "../probes/modules";
import type { Action, Step } from "../types";

export const MODULES_LOAD_CONTENT = K8S_MODULES.join("\n") + "\n";

const moduleProbes = K8S_MODULES.map((m) => moduleProbe(m));
const moduleProbeIds = moduleProbes.map((p) => p.id);

export const kernelModulesStep: Step = {
  id: "kernel-modules",
  title: "Kernel modules",
  summary: "overlay and br_netfilter, loaded now and at every boot",
  requires: [],
  observe: { probes: moduleProbeIds, files: [MODULES_LOAD_FILE] },
  plan(facts, observed) {
    const actions: Action[] = [];
    const notes: string[] = [];
    const write = writeFileIfNeeded(observed.files[MODULES_LOAD_FILE], {
      path: MODULES_LOAD_FILE,
      mode: 0o644,
      content: MODULES_LOAD_CONTENT,
      missing: "the file is missing: the modules would not be loaded after a reboot",
    });
    if (write) actions.push(write);
    K8S_MODULES.forEach((name, i) => {
      const probe = observed.probes[moduleProbeIds[i]];
      if (probe?.status === "ok") {
        if (dataOf(moduleProbes[i], probe)?.state === "built-in") notes.push(`${name} is built into the kernel: nothing to load.`);
        return;
      }
      // A loaded module has /sys/module/<name>; a built-in without parameters has none, and modprobe
      // then does nothing and succeeds.
      actions.push({ kind: "run-command", argv: ["modprobe", name], reason: `${name} is not loaded`, timeoutMs: 60_000, when: { until: `/sys/module/${name}` } });
    });
    if (facts.init !== "systemd") {
      notes.push(`${MODULES_LOAD_FILE} is read at boot by systemd-modules-load; this host's init is not systemd, so check that it honours modules-load.d.`);
    }
    return { actions, notes };
  },
  verify: [...moduleProbeIds, "modules-persisted"],
};
