import { z } from "zod";
import { ProbeCheck, ProbeId, ProbeResult, ProbeStatus, StepId } from "./catalog";
import { HostFacts } from "./facts";

// The health view: every node x every catalog probe, the scans that fill it, the stored
// history and drift. Probe columns come from the server's catalog, never from a list in the UI.

/** A cell: a probe's verdict, or "unreachable" when the node's last scan could not reach it. */
export const CellState = z.enum(["ok", "warn", "fail", "unknown", "unreachable"]);
export type CellState = z.infer<typeof CellState>;

/** Where a probe sits in the runtime stack picture (bottom to top). */
export const StackLayerId = z.enum(["host", "kernel-modules", "sysctl", "runc", "cni", "containerd", "cgroup-driver", "other"]);
export type StackLayerId = z.infer<typeof StackLayerId>;

export const HealthColumn = z.object({
  probeId: ProbeId,
  title: z.string(),
  fixStepId: StepId.nullable(),
  layer: StackLayerId,
});
export type HealthColumn = z.infer<typeof HealthColumn>;

export const HealthCell = z.object({
  probeId: ProbeId,
  state: CellState,
  observed: z.string(),
  expected: z.string(),
  detail: z.string(),
  /** The check this verdict comes from (its raw output: GET /api/health/checks/:id). */
  checkId: z.number().int().nullable(),
  /** When the probe ran (for unreachable cells: the last time it ran at all). */
  at: z.string().nullable(),
  /** For unreachable cells: what the probe said the last time the node answered. */
  lastKnown: ProbeStatus.nullable(),
});
export type HealthCell = z.infer<typeof HealthCell>;

export const ScanNodeState = z.enum(["queued", "connecting", "probing", "done", "unreachable"]);
export type ScanNodeState = z.infer<typeof ScanNodeState>;

export const ScanNodeProgress = z.object({
  nodeId: z.string(),
  name: z.string(),
  state: ScanNodeState,
  message: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  checkId: z.number().int().nullable(),
});
export type ScanNodeProgress = z.infer<typeof ScanNodeProgress>;

export const ScanStatus = z.enum(["running", "done", "interrupted"]);
export const ScanTrigger = z.enum(["manual", "auto"]);
export type ScanTrigger = z.infer<typeof ScanTrigger>;

export const ScanView = z.object({
  id: z.string(),
  status: ScanStatus,
  trigger: ScanTrigger,
  actor: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  nodes: z.array(ScanNodeProgress),
});
export type ScanView = z.infer<typeof ScanView>;

export const CheckReach = z.enum(["reachable", "unreachable"]);
export type CheckReach = z.infer<typeof CheckReach>;

/** One node checked once: all probes in one round trip. */
export const CheckSummary = z.object({
  id: z.number().int(),
  scanId: z.string().nullable(),
  nodeId: z.string(),
  nodeName: z.string(),
  at: z.string(),
  reach: CheckReach,
  /** SshError kind (timeout, refused, host-key-changed, ...) when unreachable. */
  errorKind: z.string().nullable(),
  message: z.string().nullable(),
  durationMs: z.number().int(),
  /** /proc/sys/kernel/random/boot_id: changes at every boot. */
  bootId: z.string().nullable(),
  /** The check's time minus /proc/uptime. */
  bootedAt: z.string().nullable(),
  counts: z.object({ ok: z.number().int(), warn: z.number().int(), fail: z.number().int(), unknown: z.number().int() }),
});
export type CheckSummary = z.infer<typeof CheckSummary>;

export const CheckDetail = CheckSummary.extend({ results: z.array(ProbeResult) });
export type CheckDetail = z.infer<typeof CheckDetail>;

export const HealthNodeRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  practice: z.boolean(),
  lastCheck: CheckSummary.nullable(),
  cells: z.array(HealthCell),
  /** Reachable and no probe failing or unknown (warnings allowed). Never checked: false. */
  ready: z.boolean(),
  openDrift: z.number().int(),
});
export type HealthNodeRow = z.infer<typeof HealthNodeRow>;

export const MatrixSummary = z.object({ ready: z.number().int(), total: z.number().int(), unreachable: z.number().int(), neverChecked: z.number().int() });
export type MatrixSummary = z.infer<typeof MatrixSummary>;

export const HealthMatrix = z.object({
  columns: z.array(HealthColumn),
  nodes: z.array(HealthNodeRow),
  summary: MatrixSummary,
  /** The scan in progress, if any (its per-node progress), else the last one. */
  scan: ScanView.nullable(),
  /** The newest check when the matrix was built: `GET /api/health?since=` that returns what changed after it. */
  version: z.number().int(),
});
export type HealthMatrix = z.infer<typeof HealthMatrix>;

/**
 * What changed since a version (a fleet's matrix is megabytes, polled every second while a
 * scan runs): the rows of the nodes checked since, every node's id in display order (a node added or
 * removed means: fetch it all), and the scan's progress.
 */
export const HealthMatrixUpdate = z.object({
  version: z.number().int(),
  order: z.array(z.string()),
  nodes: z.array(HealthNodeRow),
  scan: ScanView.nullable(),
});
export type HealthMatrixUpdate = z.infer<typeof HealthMatrixUpdate>;

export const MatrixQuery = z.object({ since: z.coerce.number().int().min(0).optional() }).strict();

/** The counts above the matrix, from its rows (the server and a merged update use the same rule). */
export function summarize(nodes: readonly HealthNodeRow[]): MatrixSummary {
  return {
    ready: nodes.filter((n) => n.ready).length,
    total: nodes.length,
    unreachable: nodes.filter((n) => n.lastCheck?.reach === "unreachable").length,
    neverChecked: nodes.filter((n) => !n.lastCheck).length,
  };
}

/** A matrix with an update applied, or null when the nodes themselves changed (fetch the whole matrix). */
export function applyUpdate(m: HealthMatrix, u: HealthMatrixUpdate): HealthMatrix | null {
  if (u.order.length !== m.nodes.length || u.order.some((id, i) => m.nodes[i].nodeId !== id)) return null;
  const changed = new Map(u.nodes.map((r) => [r.nodeId, r]));
  // Unchanged rows keep their identity, so the matrix re-renders only the rows that changed.
  const nodes = changed.size ? m.nodes.map((r) => changed.get(r.nodeId) ?? r) : m.nodes;
  return { ...m, nodes, summary: changed.size ? summarize(nodes) : m.summary, scan: u.scan, version: u.version };
}

/** A probe that was ok and now is not. */
export const DriftEvent = z.object({
  id: z.number().int(),
  nodeId: z.string(),
  nodeName: z.string(),
  probeId: ProbeId,
  probeTitle: z.string(),
  fixStepId: StepId.nullable(),
  /** The check that first saw it failing. */
  detectedAt: z.string(),
  checkId: z.number().int(),
  /** The last check where it was ok. */
  lastOkAt: z.string(),
  toStatus: z.enum(["warn", "fail"]),
  observed: z.string(),
  expected: z.string(),
  checks: z.array(ProbeCheck),
  /** The boot id changed between the last ok check and this one. */
  rebooted: z.boolean(),
  bootedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** What the check that resolved it observed (null while open). */
  resolvedObserved: z.string().nullable(),
});
export type DriftEvent = z.infer<typeof DriftEvent>;

export const DriftList = z.object({ events: z.array(DriftEvent) });
export type DriftList = z.infer<typeof DriftList>;

export const StackLayer = z.object({
  id: StackLayerId,
  title: z.string(),
  state: CellState.nullable(),
  probes: z.array(HealthCell.extend({ title: z.string() })),
});
export type StackLayer = z.infer<typeof StackLayer>;

export const NodeHealth = z.object({
  row: HealthNodeRow,
  columns: z.array(HealthColumn),
  facts: HostFacts.nullable(),
  factsAt: z.string().nullable(),
  history: z.array(CheckSummary),
  drift: z.array(DriftEvent),
  /** This node's progress in the scan running now, if any. */
  scan: ScanNodeProgress.nullable(),
});
export type NodeHealth = z.infer<typeof NodeHealth>;

export const StartScanBody = z
  .object({
    /** Default: every node. */
    nodeIds: z.array(z.string().uuid("a node id is a uuid")).min(1).max(1000).optional(),
    trigger: ScanTrigger.default("manual"),
    /**
     * Run every probe command again. By default a command whose inputs (what its output depends on)
     * read the same as at its last run is not run again, and its output is shown with that time.
     */
    rerunAll: z.boolean().default(false),
  })
  .strict();
export type StartScanBody = z.infer<typeof StartScanBody>;

export const StartScanAnswer = z.object({ scanId: z.string(), alreadyRunning: z.boolean() });
export type StartScanAnswer = z.infer<typeof StartScanAnswer>;

export const DriftQuery = z.object({
  open: z.enum(["0", "1"]).optional(),
  nodeId: z.string().uuid("a node id is a uuid").optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
}).strict();

// ---- presentation rules shared by the server and the UI ----

const LAYER_BY_STEP: Record<string, StackLayerId> = {
  swap: "host",
  "kernel-modules": "kernel-modules",
  sysctl: "sysctl",
  runc: "runc",
  "cni-plugins": "cni",
  containerd: "containerd",
  "containerd-service": "containerd",
  "cgroup-driver": "cgroup-driver",
  "kubelet-cgroup-driver": "cgroup-driver",
};

/** A probe's layer: by the step that fixes it, else by its id (probes added later land without code changes). */
export function layerOf(probe: { probeId: string; fixStepId: string | null }): StackLayerId {
  if (probe.fixStepId && LAYER_BY_STEP[probe.fixStepId]) return LAYER_BY_STEP[probe.fixStepId];
  const id = probe.probeId;
  if (id === "swap-off" || id === "cgroup-version") return "host";
  if (id.startsWith("module")) return "kernel-modules";
  if (id.startsWith("sysctl")) return "sysctl";
  if (id.includes("runc")) return "runc";
  if (id.includes("cni")) return "cni";
  if (id.includes("cgroup") || id.includes("kubelet")) return "cgroup-driver";
  if (id.includes("containerd") || id.includes("cri")) return "containerd";
  return "other";
}

/** Bottom to top, as the issue draws it: kernel modules -> sysctls -> runc -> CNI -> containerd -> cgroup driver. */
export const STACK_LAYERS: { id: StackLayerId; title: string }[] = [
  { id: "host", title: "Host (swap, cgroup version)" },
  { id: "kernel-modules", title: "Kernel modules" },
  { id: "sysctl", title: "Kernel parameters (sysctl)" },
  { id: "runc", title: "runc" },
  { id: "cni", title: "CNI plugins" },
  { id: "containerd", title: "containerd" },
  { id: "cgroup-driver", title: "cgroup driver" },
  { id: "other", title: "Other checks" },
];

const SEVERITY: Record<CellState, number> = { ok: 0, warn: 1, unknown: 2, fail: 3, unreachable: 4 };

/** The worst of several states (a layer's light, a row's summary); null for none. */
export function worstState(states: readonly CellState[]): CellState | null {
  return states.reduce<CellState | null>((w, s) => (w === null || SEVERITY[s] > SEVERITY[w] ? s : w), null);
}
