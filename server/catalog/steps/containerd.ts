import "server-only";
import { observedData } from "../data";
import { containerdInstalledProbe, installedContainerd } from "../probes/binaries";
import { CONTAINERD_BIN } from "../probes/runtime-paths";
import { releaseStep } from "./release-step";

export const containerdStep = releaseStep({
  id: "containerd",
  title: "containerd",
  summary: "the release tarball, sha256-checked on the host, extracted under /usr/local",
  installs: "containerd",
  probeId: containerdInstalledProbe.id,
  dest: { kind: "extract", dir: "/usr/local" },
  present(probe) {
    const installed = installedContainerd(probe);
    if (!installed || !probe) return null;
    const notes = installed.packaged
      ? [
          `${probe.observed}. nodeprep does not install a second containerd over a package: it keeps this one and configures it in the next steps (service, cgroup driver, CRI plugin). The package does not contain the CNI plugins: install them with the CNI plugins step.`,
        ]
      : [`${probe.observed}: already installed. nodeprep does not upgrade a containerd that works; to change versions, remove ${CONTAINERD_BIN} first.`];
    if (probe.status === "warn") notes.push(probe.detail);
    return notes;
  },
  reason: (probe, artifact) => `${probe?.observed ?? "not checked"}: ${artifact}`,
  // A binary that is there but does not run: say why (a wrong libc, say) next to the new one.
  installNotes: (probe, observed) =>
    probe?.status === "fail" && observedData(observed, containerdInstalledProbe)?.release.state === "broken" ? [probe.detail] : [],
});
