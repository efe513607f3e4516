import "server-only";
import type { ArtifactArch } from "@/lib/contracts/artifacts";
import type { HostFacts } from "@/lib/contracts/facts";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { RuntimeVersions } from "@/lib/contracts/runs";
import { findRelease } from "../../artifacts";
import { getProbe, steps as catalogSteps } from "../../catalog";
import type { Action, Observed, Step } from "../../catalog/types";

// The export plans the selected steps with their own plan() functions (server/catalog/steps), for a
// host that has none of it yet: every file absent, every probe not yet run. That is the whole recipe:
// the files with their content, the modules, the sysctls, the artifacts with their sums, the unit, the
// config. Nothing here repeats what a step does; it only sets the scene the steps plan in.

export interface ExportStep {
  step: Step;
  actions: Action[];
  notes: string[];
}

export interface ExportPlanOptions {
  stepIds: readonly string[];
  arch: ArtifactArch;
  versions?: RuntimeVersions;
  /** The catalog to plan with (tests pass one with a changed step). */
  steps?: readonly Step[];
}

/**
 * A host as the export assumes it: systemd, the chosen architecture, nothing of the runtime installed.
 * The C library is checked by the playbook itself against the release's policy (tasks.ts preflight),
 * so planning here takes it as new enough.
 */
export function freshHostFacts(arch: ArtifactArch): HostFacts {
  return {
    hostname: "(every host of the inventory)",
    os: { id: "linux", versionId: null, prettyName: null, idLike: [] },
    kernel: "",
    machine: arch === "amd64" ? "x86_64" : "aarch64",
    arch,
    libc: { kind: "glibc", version: "999.0" },
    init: "systemd",
    cgroup: "v2",
    swapActive: false,
    machineId: null,
    containerd: { present: false, path: null, version: null },
    runc: { present: false, path: null, version: null },
    cniPlugins: { present: false, dir: null, plugins: [] },
    kubelet: { present: false, path: null, version: null },
    gatheredAt: new Date(0).toISOString(),
  };
}

/**
 * The containerd the playbook installs, as the containerd step's own probe reads it once installed:
 * later steps (the service, the cgroup driver's config schema) plan against that version. The output
 * is what `containerd --version` prints (`containerd <module> <version> <revision>`).
 */
function containerdAsInstalled(version: string): ProbeResult {
  const probe = getProbe("containerd-installed");
  const verdict = probe.parse({
    local: { output: `containerd github.com/containerd/containerd v${version} nodeprep-export\n`, exitCode: 0 },
    package: { output: "", exitCode: 1 },
  });
  return { ...verdict, probeId: probe.id, title: probe.title, fixStepId: probe.fixStepId, raw: [] };
}

export function planForExport(opts: ExportPlanOptions): ExportStep[] {
  const all = opts.steps ?? catalogSteps;
  const unknown = opts.stepIds.find((id) => !all.some((s) => s.id === id));
  if (unknown) throw new ExportError(`unknown step ${unknown}`);
  const facts = freshHostFacts(opts.arch);
  const containerd = findRelease("containerd", opts.versions?.containerd ?? null);
  const observed: Observed = { files: {}, probes: { "containerd-installed": containerdAsInstalled(containerd.version) } };
  // The containerd step itself plans on a host without containerd.
  const before: Observed = { files: {}, probes: {} };
  return all
    .filter((s) => opts.stepIds.includes(s.id))
    .map((step) => {
      if (step.notExported) return { step, actions: [], notes: [step.notExported] };
      const scene = step.id === "containerd" ? before : observed;
      try {
        const plan = step.plan(facts, scene, { versions: opts.versions });
        return { step, actions: plan.actions, notes: plan.notes };
      } catch (error) {
        throw new ExportError(`step ${step.id}: ${(error as Error).message}`);
      }
    });
}

/** A request the export cannot turn into a playbook (unknown step or version, a command without a trigger). */
export class ExportError extends Error {}
