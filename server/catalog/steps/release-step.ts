import "server-only";
import type { ArtifactDest } from "@/lib/contracts/artifacts";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { RuntimeVersions } from "@/lib/contracts/runs";
import type { Observed, Step } from "../types";
import { artifactFor } from "./runtime-artifacts";

/** What a release step needs to say about the host, from its probe. */
export interface ReleaseStepSpec {
  id: string;
  title: string;
  summary: string;
  /** The component it installs (the operator may pick its version) and the probe that finds it. */
  installs: keyof RuntimeVersions;
  probeId: string;
  dest: ArtifactDest;
  /** The notes when the host has it already (the plan is then empty), or null: install it. */
  present(probe: ProbeResult | undefined, observed: Observed): string[] | null;
  /** Why the upload is needed, given the probe and what the artifact is. */
  reason(probe: ProbeResult | undefined, artifact: string): string;
  /** Probes verified after the step besides its own (runc: can containerd's PATH find it). */
  alsoVerify?: string[];
  /** Notes beside the install (a broken binary it replaces, say). */
  installNotes?(probe: ProbeResult | undefined, observed: Observed): string[];
}

/**
 * The shape containerd, runc and the CNI plugins share: nothing when the probe finds the component,
 * else the release artifact for this host (refused with the reason when it cannot run there).
 */
export function releaseStep(spec: ReleaseStepSpec): Step {
  return {
    id: spec.id,
    title: spec.title,
    summary: spec.summary,
    requires: [],
    observe: { probes: [spec.probeId], files: [] },
    plan(facts, observed, options) {
      const probe = observed.probes[spec.probeId];
      const notes = spec.present(probe, observed);
      if (notes) return { actions: [], notes };
      const action = artifactFor(spec.installs, facts, spec.dest, options?.versions?.[spec.installs]);
      return { actions: [{ ...action, reason: spec.reason(probe, action.reason) }], notes: spec.installNotes?.(probe, observed) ?? [] };
    },
    verify: [spec.probeId, ...(spec.alsoVerify ?? [])],
    installs: spec.installs,
  };
}
