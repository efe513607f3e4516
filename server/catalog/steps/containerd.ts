import "server-only";
import { observedData } from "../data";
import { containerdInstalledProbe, installedContainerd } from "../probes/binaries";
import { CONTAINERD_BIN } from "../probes/runtime-paths";
import type { Step } from "../types";
import { artifactFor } from "./runtime-artifacts";

export const containerdStep: Step = {
  id: "containerd",
  title: "containerd",
  summary: "the release tarball, sha256-checked on the host, extracted under /usr/local",
  requires: [],
  observe: { probes: ["containerd-installed"], files: [] },
  plan(facts, observed, options) {
    const probe = observed.probes["containerd-installed"];
    const installed = installedContainerd(probe);
    if (installed) {
      const notes = installed.packaged
        ? [
            `${probe.observed}. nodeprep does not install a second containerd over a package: it keeps this one and configures it in the next steps (service, cgroup driver, CRI plugin). The package does not contain the CNI plugins: install them with the CNI plugins step.`,
          ]
        : [`${probe.observed}: already installed. nodeprep does not upgrade a containerd that works; to change versions, remove ${CONTAINERD_BIN} first.`];
      if (probe.status === "warn") notes.push(probe.detail);
      return { actions: [], notes };
    }
    const action = artifactFor("containerd", facts, { kind: "extract", dir: "/usr/local" }, options?.versions?.containerd);
    return {
      actions: [{ ...action, reason: `${probe?.observed ?? "not checked"}: ${action.reason}` }],
      // A binary that is there but does not run: say why (a wrong libc, say) next to the new one.
      notes: probe?.status === "fail" && observedData(observed, containerdInstalledProbe)?.release.state === "broken" ? [probe.detail] : [],
    };
  },
  verify: ["containerd-installed"],
  installs: "containerd",
};
