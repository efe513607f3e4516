import "server-only";
import { RUNC_BIN } from "../probes/runtime";
import type { Step } from "../types";
import { artifactFor } from "./runtime-artifacts";

export const runcStep: Step = {
  id: "runc",
  title: "runc",
  summary: "the OCI runtime containerd starts containers with, installed as /usr/local/sbin/runc",
  requires: [],
  observe: { probes: ["runc-installed"], files: [] },
  plan(facts, observed, options) {
    const probe = observed.probes["runc-installed"];
    if (probe?.status === "ok") return { actions: [], notes: [`${probe.observed}: already installed.`] };
    const action = artifactFor("runc", facts, { kind: "file", path: RUNC_BIN, mode: "755" }, options?.versions?.runc);
    return { actions: [{ ...action, reason: `${probe?.observed ?? "not checked"}: ${action.reason}` }], notes: [] };
  },
  verify: ["runc-installed", "runc-for-containerd"],
  installs: "runc",
};
