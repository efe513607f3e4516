import "server-only";
import { CNI_DIR } from "../probes/runtime-paths";
import { releaseStep } from "./release-step";

export const cniPluginsStep = releaseStep({
  id: "cni-plugins",
  title: "CNI plugins",
  summary: "bridge, host-local, loopback, portmap and the rest, in /opt/cni/bin",
  installs: "cni-plugins",
  probeId: "cni-plugins",
  // Extracting over an existing directory replaces the release's plugins and keeps any others
  // (a CNI provider such as Calico or Cilium drops its own binaries there).
  dest: { kind: "extract", dir: CNI_DIR },
  present: (probe) => (probe?.status === "ok" ? [`${probe.observed}: already there.`] : null),
  reason: (probe, artifact) => `${probe?.observed ?? "not checked"}; ${probe?.detail ?? ""} ${artifact}`.trim(),
});
