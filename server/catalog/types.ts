import "server-only";
import type { RuntimeVersions } from "@/lib/contracts/runs";
import type { HostFacts } from "@/lib/contracts/facts";
import type { UploadArtifactAction } from "@/lib/contracts/artifacts";
import type { z } from "zod";
import type { ProbeData, ProbeResult, ProbeVerdict } from "@/lib/contracts/catalog";

/** One read-only command of a probe. `command` is a constant shell line (no outside values in it). */
export interface ProbeCommand {
  key: string;
  command: string;
  /**
   * What the output depends on, read with shell builtins (inputs.ts): a health scan reuses the last
   * output while they are unchanged. Without it the command runs in every scan.
   */
  inputs?: string;
  /** The command as a person types it, when `command` wraps it (a socket check around `ctr`). */
  shown?: string;
  /** nodeprep's helper, not a person's command: the card shows it under "how nodeprep checked", never first. */
  helper?: boolean;
}

/** What one command printed (stdout and stderr interleaved) and its exit code. */
export interface CommandOutput {
  output: string;
  exitCode: number | null;
  /** The inputs as read in this round trip (when the command declares some). */
  inputs?: string;
  /** The command did not run: its inputs matched the previous output's, which is returned. */
  reused?: boolean;
}

/** A verdict whose data has this probe's shape (null: nothing to read values from, e.g. no answer). */
export type Verdict<D extends ProbeData> = Omit<ProbeVerdict, "data"> & { data: D | null };

/**
 * A probe reads state and never changes it. Its commands run inside ONE batched script per host
 * (server/catalog/batch.ts); `parse` is pure and judges their output.
 */
export interface Probe<D extends ProbeData = ProbeData> {
  id: string;
  title: string;
  commands: ProbeCommand[];
  /** The shape of the verdict's `data`: what plans and scenarios read (dataOf), never the display text. */
  data: z.ZodType<D>;
  parse(outputs: Record<string, CommandOutput>): Verdict<D>;
  /** The step that makes this probe pass. */
  fixStepId: string | null;
}

/** A file as observed on the host before planning. */
export type FileState =
  | { kind: "absent" }
  | { kind: "file"; mode: string; content: string }
  | { kind: "other"; detail: string };

export interface Observed {
  files: Record<string, FileState>;
  probes: Record<string, ProbeResult>;
}

/**
 * When a command is needed, as data. A step's plan decides it for the host in front of it (with
 * probes); the Ansible export (server/export/ansible), which plans for hosts it has never seen, turns
 * it into a handler or a guarded task. Every run-command a catalog step plans says when it is needed
 * (server/export/ansible/plan.test.ts checks them all); the export refuses one that does not.
 */
export interface CommandTrigger {
  /** It applies files this plan writes (a reload, a restart): needed when one of them changed. */
  changed?: string[];
  /** Needed while this path does not exist (modprobe overlay: /sys/module/overlay). */
  until?: string;
  /** Needed while these files do not all read `equals` (the live sysctls under /proc/sys). */
  unless?: { read: string[]; equals: string };
}

/** Declarative changes; the runner turns them into commands (server/catalog/actions.ts). */
export type Action =
  | { kind: "write-file"; path: string; mode: number; content: string; reason: string }
  | { kind: "run-command"; argv: string[]; reason: string; timeoutMs?: number; when?: CommandTrigger }
  | { kind: "enable-unit"; unit: string; now: boolean; reason: string }
  /** Built with planArtifactAction (server/artifacts); executed by applyArtifactAction. */
  | (UploadArtifactAction & { reason: string });

export interface StepPlan {
  actions: Action[];
  /** Things the operator should know about this host that are not changes. */
  notes: string[];
}

/** What the operator chose for this run (the release version of each component it installs). */
export interface PlanOptions {
  versions?: RuntimeVersions;
}

export interface Step {
  id: string;
  title: string;
  summary: string;
  /** Probes the host must pass before this step can run (e.g. sysctl needs br_netfilter). */
  requires: string[];
  /** What the plan looks at: probes (reused as observations) and files (read exactly). */
  observe: { probes: string[]; files: string[] };
  /** Pure: exactly what would change on this host. Empty when the host is already right. */
  plan(facts: HostFacts, observed: Observed, options?: PlanOptions): StepPlan;
  verify: string[];
  /** The release component this step installs: the wizard offers its versions (PlanOptions.versions). */
  installs?: keyof RuntimeVersions;
  /**
   * Why the Ansible export cannot write this step as tasks (it edits each host's own file, say) and what
   * to do instead: the export then carries this note in place of tasks.
   */
  notExported?: string;
}
