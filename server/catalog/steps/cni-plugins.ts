import "server-only";
import { CNI_DIR } from "../probes/runtime-paths";
import type { Step } from "../types";
import { artifactFor } from "./runtime-artifacts";

export const cniPluginsStep: Step = {
  id: "cni-plugins",
  title: "CNI plugins",
  summary: "bridge, host-local, loopback, portmap and the rest, in /opt/cni/bin",
  requires: [],
  observe: { probes: ["cni-plugins"], files: [] },
  plan(facts, observed, options) {
    const probe = observed.probes["cni-plugins"];
    if (probe?.status === "ok") return { actions: [], notes: [`${probe.observed}: already there.`] };
    // Extracting over an existing directory replaces the release's plugins and keeps any others
    // (a CNI provider such as Calico or Cilium drops its own binaries there).
    const action = artifactFor("cni-plugins", facts, { kind: "extract", dir: CNI_DIR }, options?.versions?.["cni-plugins"]);
    return { actions: [{ ...action, reason: `${probe?.observed ?? "not checked"}; ${probe?.detail ?? ""} ${action.reason}`.trim() }], notes: [] };
  },
  verify: ["cni-plugins"],
  installs: "cni-plugins",
};
