import "server-only";
import { createHash } from "node:crypto";
import type { HostFacts } from "@/lib/contracts/facts";
import { actionFor, cachedText, pickArtifact } from "../../artifacts";
import { writeFileIfNeeded } from "../actions";
import { observedData } from "../data";
import { installedContainerd } from "../probes/binaries";
import { containerdActiveProbe } from "../probes/daemon";
import { CONTAINERD_UNIT } from "../probes/runtime-paths";
import type { Action, Step } from "../types";

/**
 * containerd's own unit (https://github.com/containerd/containerd/blob/main/containerd.service, as
 * the seed downloads it), shipped for release sources that carry no `containerd-service` artifact.
 * The lab's local release carries the same file as an artifact with its sum.
 */
export const UPSTREAM_CONTAINERD_SERVICE = `# Copyright The containerd Authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target local-fs.target dbus.service

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/containerd

Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5

# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNPROC=infinity
LimitCORE=infinity

# Comment TasksMax if your systemd version does not supports it.
# Only systemd 226 and above support this version.
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;

/** The release's unit file; of several local builds, the host's own release's (pickArtifact). */
function unitArtifact(facts: HostFacts) {
  try {
    return pickArtifact("containerd-service", null, facts);
  } catch {
    return null;
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const containerdServiceStep: Step = {
  id: "containerd-service",
  title: "containerd service",
  summary: "containerd.service in /usr/local/lib/systemd/system, enabled and started",
  requires: ["containerd-installed"],
  observe: { probes: ["containerd-active"], files: [CONTAINERD_UNIT] },
  plan(facts, observed) {
    const actions: Action[] = [];
    const notes: string[] = [];
    if (facts.init !== "systemd") {
      throw new Error(`this host's init is not systemd (PID 1 is not systemd): the containerd.service unit cannot run here; start containerd with the host's own init system`);
    }
    const service = observedData(observed, containerdActiveProbe);
    const installed = installedContainerd(observed.probes["containerd-installed"]);
    const fragment = service?.unitFile ?? null;
    const state = observed.files[CONTAINERD_UNIT];
    let unitChanged = false;
    if (installed?.packaged && fragment && fragment !== CONTAINERD_UNIT) {
      // The package's unit starts the package's binary: a unit in /usr/local would shadow it with one
      // that starts /usr/local/bin/containerd, which does not exist.
      notes.push(`containerd comes from a package, whose unit ${fragment} is used as it is.`);
    } else {
      const artifact = unitArtifact(facts);
      // The release's unit, read from the dashboard's cache (its sum checked there), is planned as a
      // file like every other: the plan shows its diff and a person can type it (issue 13). Staged and
      // checked on the host only when the cache lacks it.
      const text = artifact ? cachedText(artifact) : null;
      const content = artifact?.sha256 && !text ? null : (text ?? UPSTREAM_CONTAINERD_SERVICE);
      const source = text ? `the release's unit (${artifact!.file}, sha256 ${artifact!.sha256})` : "containerd's upstream containerd.service";
      if (content === null) {
        const right = state?.kind === "file" && sha256(state.content) === artifact!.sha256 && parseInt(state.mode, 8) === 0o644;
        if (!right) {
          const action = actionFor(artifact!, { kind: "file", path: CONTAINERD_UNIT, mode: "644" });
          actions.push({
            ...action,
            reason: state?.kind === "file" ? `${CONTAINERD_UNIT} differs from the release's unit (${artifact!.file}, sha256 ${artifact!.sha256})` : `${CONTAINERD_UNIT} is missing`,
          });
          unitChanged = true;
        }
      } else {
        const write = writeFileIfNeeded(state, { path: CONTAINERD_UNIT, mode: 0o644, content, missing: `${CONTAINERD_UNIT} is missing` });
        if (write) {
          actions.push({ ...write, reason: state?.kind === "file" && state.content !== content ? `the unit differs from ${source}` : write.reason });
          unitChanged = true;
        }
      }
      if (fragment && fragment !== CONTAINERD_UNIT && !fragment.startsWith("/usr/local/")) {
        notes.push(`systemd currently uses ${fragment}; a unit in /etc/systemd/system overrides the one in /usr/local/lib/systemd/system.`);
      }
    }
    if (unitChanged) {
      actions.push({ kind: "run-command", argv: ["systemctl", "daemon-reload"], reason: "systemd reads unit files only on daemon-reload", when: { changed: [CONTAINERD_UNIT] } });
    }
    const active = service?.activeState === "active";
    const enabled = service?.unitFileState === "enabled";
    if (!active || !enabled) {
      const now = service ? `${service.activeState || "unknown"}, ${service.unitFileState || "no unit file"}` : "not checked";
      actions.push({ kind: "enable-unit", unit: "containerd", now: true, reason: `containerd is ${now}: start it now and at every boot` });
    }
    if (unitChanged && active) {
      actions.push({
        kind: "run-command",
        argv: ["systemctl", "restart", "containerd"],
        reason: "containerd runs with the old unit: restart it with the new one",
        when: { changed: [CONTAINERD_UNIT] },
      });
    }
    return { actions, notes };
  },
  verify: ["containerd-active", "ctr-version"],
};
