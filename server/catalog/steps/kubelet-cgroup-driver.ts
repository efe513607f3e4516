import "server-only";
import { compareVersions } from "../../artifacts";
import { plainVersion } from "../parsers/runtime";
import { observedData } from "../data";
import { kubeletCgroupDriverProbe } from "../probes/cgroup-driver";
import { KUBELET_CONFIG } from "../probes/runtime-paths";
import type { Step } from "../types";

/**
 * Nothing to write: kubeadm owns /var/lib/kubelet/config.yaml (and rewrites it from the kubelet-config
 * ConfigMap on upgrade), so an edit here would not last. The step checks that the kubelet and
 * containerd agree and says how to fix a mismatch where it lasts.
 */
export const kubeletCgroupDriverStep: Step = {
  id: "kubelet-cgroup-driver",
  title: "kubelet cgroup driver",
  summary: "the kubelet and containerd must use the same cgroup driver: systemd",
  requires: [],
  observe: { probes: ["kubelet-cgroup-driver"], files: [] },
  plan(facts, observed) {
    const notes: string[] = [];
    const probe = observed.probes["kubelet-cgroup-driver"];
    const version = plainVersion(facts.kubelet.version);
    if (!facts.kubelet.present) {
      notes.push("The kubelet is not installed yet. kubeadm 1.22 and later sets cgroupDriver: systemd when it writes the kubelet's configuration, so nothing is needed here.");
    } else if (version && compareVersions(version, "1.22.0") < 0) {
      notes.push(
        `kubelet ${version} is older than 1.22: kubeadm does not default it to systemd. Pass a KubeletConfiguration with cgroupDriver: systemd to kubeadm init/join.`,
      );
    }
    const found = observedData(observed, kubeletCgroupDriverProbe);
    if (probe && found && found.kubelet.config !== "absent") notes.push(`${KUBELET_CONFIG} exists: ${probe.observed}.`);
    return { actions: [], notes };
  },
  verify: ["kubelet-cgroup-driver"],
};
