import "server-only";
import { fileIsRight } from "../actions";
import { K8S_MODULES, MODULES_LOAD_FILE, moduleProbe } from "../probes/modules";
import type { Action, Step } from "../types";

export const MODULES_LOAD_CONTENT = K8S_MODULES.join("\n") + "\n";

const moduleProbeIds = K8S_MODULES.map((m) => moduleProbe(m).id);

export const kernelModulesStep: Step = {
  id: "kernel-modules",
  title: "Kernel modules",
  summary: "overlay and br_netfilter, loaded now and at every boot",
  requires: [],
  observe: { probes: moduleProbeIds, files: [MODULES_LOAD_FILE] },
  plan(facts, observed) {
    const actions: Action[] = [];
    const notes: string[] = [];
    if (!fileIsRight(observed.files[MODULES_LOAD_FILE], MODULES_LOAD_CONTENT, 0o644)) {
      const state = observed.files[MODULES_LOAD_FILE];
      actions.push({
        kind: "write-file",
        path: MODULES_LOAD_FILE,
        mode: 0o644,
        content: MODULES_LOAD_CONTENT,
        reason:
          state?.kind === "file"
            ? state.content === MODULES_LOAD_CONTENT
              ? `the file has mode ${state.mode}, not 644`
              : "the file exists with other content"
            : state?.kind === "other"
              ? `the path is not a regular file: ${state.detail}`
              : "the file is missing: the modules would not be loaded after a reboot",
      });
    }
    K8S_MODULES.forEach((name, i) => {
      const probe = observed.probes[moduleProbeIds[i]];
      if (probe?.status === "ok") {
        if (probe.observed === "built into the kernel") notes.push(`${name} is built into the kernel: nothing to load.`);
        return;
      }
      actions.push({ kind: "run-command", argv: ["modprobe", name], reason: `${name} is not loaded`, timeoutMs: 60_000 });
    });
    if (facts.init !== "systemd") {
      notes.push(`${MODULES_LOAD_FILE} is read at boot by systemd-modules-load; this host's init is not systemd, so check that it honours modules-load.d.`);
    }
    return { actions, notes };
  },
  verify: [...moduleProbeIds, "modules-persisted"],
};
