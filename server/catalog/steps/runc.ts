import "server-only";
import { RUNC_BIN } from "../probes/runtime-paths";
import { releaseStep } from "./release-step";

export const runcStep = releaseStep({
  id: "runc",
  title: "runc",
  summary: "the OCI runtime containerd starts containers with, installed as /usr/local/sbin/runc",
  installs: "runc",
  probeId: "runc-installed",
  alsoVerify: ["runc-for-containerd"],
  dest: { kind: "file", path: RUNC_BIN, mode: "755" },
  present: (probe) => (probe?.status === "ok" ? [`${probe.observed}: already installed.`] : null),
  reason: (probe, artifact) => `${probe?.observed ?? "not checked"}: ${artifact}`,
});
