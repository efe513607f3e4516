import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { ProbeResult, RawOutput, StepSummary } from "@/lib/contracts/catalog";
import type { RemoteHost } from "../ssh/types";
import { batchBody, fileSection, newNonce, parseBatch, parseFileSection, type Section } from "./batch";
import { hostProbes } from "./probes/host";
import { moduleProbe, modulesPersistedProbe } from "./probes/modules";
import { containerdInstalledProbe, runcInstalledProbe } from "./probes/binaries";
import { kubeletCgroupDriverProbe, systemdCgroupProbe } from "./probes/cgroup-driver";
import { cniPluginsProbe } from "./probes/cni";
import { containerdActiveProbe, criPluginProbe, ctrVersionProbe } from "./probes/daemon";
import { runcForContainerdProbe } from "./probes/runc-path";
import { swapProbes } from "./probes/swap";
import { sysctlPersistedProbe, sysctlValuesProbe } from "./probes/sysctl";
import { sysctlAtBootProbe } from "./probes/sysctl-boot";
import { cgroupDriverStep } from "./steps/cgroup-driver";
import { cniPluginsStep } from "./steps/cni-plugins";
import { containerdStep } from "./steps/containerd";
import { containerdServiceStep } from "./steps/containerd-service";
import { kernelModulesStep } from "./steps/kernel-modules";
import { kubeletCgroupDriverStep } from "./steps/kubelet-cgroup-driver";
import { runcStep } from "./steps/runc";
import { swapStep } from "./steps/swap";
import { sysctlStep } from "./steps/sysctl";
import type { FileState, Probe, Step } from "./types";

export type { Action, FileState, Observed, Probe, Step, StepPlan } from "./types";
// A planned action as the commands a person types (the plan's Copy text, the log, "Do it yourself").
export { rootScript, seedLines, typedScript, type SeedContext, type SeedLine } from "./seed-commands";

/** Every probe, by id. The wizard's verify phase and the health view read the same entries. */
export const probes: ReadonlyMap<string, Probe> = new Map(
  [
    moduleProbe("overlay"),
    moduleProbe("br_netfilter"),
    modulesPersistedProbe,
    sysctlValuesProbe,
    sysctlPersistedProbe,
    sysctlAtBootProbe,
    ...hostProbes,
    ...swapProbes,
    containerdInstalledProbe,
    runcInstalledProbe,
    cniPluginsProbe,
    containerdActiveProbe,
    ctrVersionProbe,
    systemdCgroupProbe,
    criPluginProbe,
    kubeletCgroupDriverProbe,
    runcForContainerdProbe,
  ].map((p) => [p.id, p]),
);

/** The wizard, in order. */
export const steps: readonly Step[] = [
  kernelModulesStep,
  sysctlStep,
  containerdStep,
  runcStep,
  cniPluginsStep,
  containerdServiceStep,
  cgroupDriverStep,
  kubeletCgroupDriverStep,
  // Last: like the kubelet's cgroup driver, a requirement of the kubelet (it refuses to start with
  // swap on), checked by the health view from the start.
  swapStep,
];

export function getStep(id: string): Step | undefined {
  return steps.find((s) => s.id === id);
}

export function getProbe(id: string): Probe {
  const p = probes.get(id);
  if (!p) throw new Error(`unknown probe ${id}`);
  return p;
}

const CONTENT_DIR = () => path.join(process.cwd(), "content");

function readContent(...parts: string[]): string | null {
  try {
    return fs.readFileSync(path.join(CONTENT_DIR(), ...parts), "utf8");
  } catch {
    return null;
  }
}

/**
 * A probe's help (content/probes/<id>.md), for what no step changes (the cgroup version): the health
 * view shows it with the probe's cell, and a step that looks at the probe shows it after its own text.
 */
export function probeHelp(probeId: string): string | null {
  return readContent("probes", `${probeId}.md`);
}

/** Every probe's help that exists, by probe id (the health view's cells show it). */
export function probeHelps(): Record<string, string> {
  return Object.fromEntries([...probes.keys()].flatMap((id) => {
    const help = probeHelp(id);
    return help === null ? [] : [[id, help]];
  }));
}

export function explanation(stepId: string): string {
  const own = readContent(`${stepId}.md`) ?? `_No explanation yet: add content/${stepId}.md._`;
  const step = getStep(stepId);
  const helps = step ? [...new Set([...step.observe.probes, ...step.verify])].flatMap((id) => probeHelp(id) ?? []) : [];
  return [own, ...helps].join("\n\n");
}

export function stepSummaries(): StepSummary[] {
  return steps.map((s, i) => ({
    id: s.id,
    title: s.title,
    summary: s.summary,
    order: i + 1,
    requires: s.requires.map((id) => ({ probeId: id, title: getProbe(id).title, fixStepId: getProbe(id).fixStepId })),
    verify: s.verify.map((id) => ({ probeId: id, title: getProbe(id).title, commands: getProbe(id).commands.map((c) => c.command) })),
    explanation: explanation(s.id),
    installs: s.installs ?? null,
  }));
}

// ---- one round trip: probes and file reads in a single script ----

/** A command's last output on record: a health check's raw output with its inputs and when it ran. */
export type PreviousOutput = RawOutput & { inputs: string; ranAt: string };
/** By command. */
export type PreviousOutputs = ReadonlyMap<string, PreviousOutput>;

/** What one round trip read on a host: each probe's result and each file's state. */
export interface ObservationResult {
  probes: ProbeResult[];
  files: Record<string, FileState>;
}

/** One round trip to a host: the script that reads everything, and how to read its output. */
export interface Observation {
  script: string;
  /** The script without its per-run nonce line: the same text each time, stored once by the audit log. */
  body: string;
  /** Turn the script's stdout into probe results and file states. */
  finish(stdout: string): ObservationResult;
}

export interface ObservationOptions {
  nonce?: string;
  lookup?: (id: string) => Probe;
  /** A health scan's: commands whose inputs still read the same are not run again. */
  previous?: PreviousOutputs;
}

export function observation(
  probeIds: readonly string[],
  files: readonly string[],
  { nonce = newNonce(), lookup = getProbe, previous = new Map() }: ObservationOptions = {},
): Observation {
  const list = [...new Set(probeIds)].map(lookup);
  // Probes that read the same thing (two of them parse `containerd config dump`) share one section:
  // every command runs once per round trip, and each probe still gets its exact output.
  const sectionOf = new Map<string, Section>();
  for (const p of list) {
    for (const c of p.commands) {
      if (sectionOf.has(c.command)) continue;
      const before = c.inputs === undefined ? undefined : previous.get(c.command);
      sectionOf.set(c.command, { key: `${p.id}/${c.key}`, command: c.command, inputs: c.inputs, previous: before });
    }
  }
  const sections: Section[] = [...sectionOf.values(), ...[...new Set(files)].map(fileSection)];
  if (!/^[0-9a-f]{8,}$/.test(nonce)) throw new Error("nonce must be hex");
  const body = batchBody(sections);
  return {
    script: `nodeprep_nonce=${nonce}\n${body}`,
    body,
    finish(stdout) {
      const outputs = parseBatch(stdout, sections, nonce);
      const results = list.map((p): ProbeResult => {
        const mine = Object.fromEntries(p.commands.flatMap((c) => {
          const out = outputs[sectionOf.get(c.command)!.key];
          return out ? [[c.key, out]] : [];
        }));
        const verdict = p.parse(mine);
        return {
          ...verdict,
          probeId: p.id,
          title: p.title,
          fixStepId: p.fixStepId,
          raw: p.commands.map((c): RawOutput => {
            const out = mine[c.key];
            return {
              command: c.command,
              output: out?.output ?? "",
              exitCode: out?.exitCode ?? null,
              ...(out?.inputs !== undefined && { inputs: out.inputs }),
              ...(out?.reused && { ranAt: previous.get(c.command)!.ranAt }),
              ...(c.shown !== undefined && { shown: c.shown }),
              ...(c.helper && { helper: true }),
            };
          }),
        };
      });
      return {
        probes: results,
        files: Object.fromEntries([...new Set(files)].map((f) => [f, parseFileSection(outputs[`file:${f}`])])),
      };
    },
  };
}

/** How the audit log names a probe batch (the script itself is stored once, by its hash). */
export function observationLabel(probeIds: readonly string[], files: readonly string[] = []): string {
  const what = [...new Set(probeIds)];
  const read = [...new Set(files)];
  return `probes (one script): ${what.join(", ") || "none"}${read.length ? `; reads ${read.join(", ")}` : ""}`;
}

/**
 * Run probes on a host in one round trip (read-only, as root so every file is readable). With
 * `previous` (a health scan), a command whose inputs are unchanged is not run again.
 */
export async function observeHost(
  host: RemoteHost,
  probeIds: readonly string[],
  opts: { files?: readonly string[]; signal?: AbortSignal; timeoutMs?: number; previous?: PreviousOutputs } = {},
) {
  const obs = observation(probeIds, opts.files ?? [], { previous: opts.previous });
  // Probes run again and again (plan, verify, every health scan): a long-lived root shell saves the
  // sshd session and sudo each time.
  const result = await host.exec(obs.script, {
    asRoot: true,
    keepShell: true,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? 30_000,
    audit: { script: observationLabel(probeIds, opts.files), body: obs.body, probes: probeIds, quiet: true },
  });
  return { ...obs.finish(result.stdout), exec: result, script: obs.script };
}
