import "server-only";
import { hasRole, type SessionUser } from "@/lib/contracts/auth";
import type { NodeSummary } from "@/lib/contracts/nodes";
import type { PracticeLimits, PracticeNodeView, PracticeOpKind, PracticeOverview, PracticeState } from "@/lib/contracts/practice";
import { recordAudit } from "../audit/record";
import { getUser } from "../auth/users";
import type { Db } from "../db";
import { conflict, AppError, notFound } from "../errors";
import { getNode, listNodes } from "../nodes/repository";
import { assignmentOfNode, assignNode, listAssignments } from "../auth/assignments";
import { abandonOpenAttempts } from "./open-attempts";
import type { LabDriver } from "./lab-runner";
import { lockHolder, lockNode } from "./locks";
import { addOpEvent, createOp, finishOp, lastActivity, latestOps, touchActivity } from "./ops";

// Practice nodes from the browser: who may start, stop and reset which node, how many may
// run at once (from free memory, or NODEPREP_PRACTICE_MAX_RUNNING), and the idle stop. The lab does
// the work (lab-runner.ts); this keeps the inventory, the locks, the audit log and the operation's
// phases in step with it. Nothing here waits for the lab in a request: operations run in the
// background and the page follows them.

export const PRACTICE_NAME = /^practice-(\d{1,2})$/;
export const practiceName = (n: number) => `practice-${n}`;
/** Kept free for the dashboard, Chromium and the OS when the limit follows free memory. */
export const RESERVE_MIB = 1536;

export interface PracticeConfig {
  maxRunning?: number;
  idleStopMinutes: number;
}

export interface PracticeDeps {
  db: Db;
  lab: LabDriver;
  config: () => PracticeConfig;
  /** Register the lab's running nodes in the inventory (server/practice/sync.ts). */
  sync: () => NodeSummary[];
  /** Drop pooled connections to a node whose VM was replaced. */
  forget: (nodeId: string) => void;
  now?: () => number;
}

export interface OpOutcome {
  ok: boolean;
  message: string;
  node: NodeSummary | null;
}

const numberOf = (name: string): number | null => {
  const m = PRACTICE_NAME.exec(name);
  return m ? Number(m[1]) : null;
};

export function createPracticeService(deps: PracticeDeps) {
  const { db, lab } = deps;
  const now = () => deps.now?.() ?? Date.now();

  function practiceRows(): Map<number, NodeSummary> {
    const out = new Map<number, NodeSummary>();
    for (const n of listNodes(db)) {
      const num = n.practice ? numberOf(n.name) : null;
      if (num !== null) out.set(num, n);
    }
    return out;
  }

  function limits(): PracticeLimits {
    const running = lab.running().length;
    const perNodeMiB = lab.perNodeMiB();
    const availableMiB = lab.availableMiB();
    const configured = deps.config().maxRunning;
    const fromMemory = running + Math.max(0, Math.floor((availableMiB - RESERVE_MIB) / perNodeMiB));
    return {
      running,
      maxRunning: configured ?? fromMemory,
      overridden: configured !== undefined,
      availableMiB,
      perNodeMiB,
      idleStopMinutes: deps.config().idleStopMinutes,
    };
  }

  /** 409 when starting one more node would go over the limit, saying why and what to do. */
  function requireRoom(name: string): void {
    const l = limits();
    if (l.running < l.maxRunning) return;
    const why = l.overridden
      ? `NODEPREP_PRACTICE_MAX_RUNNING is ${l.maxRunning}`
      : `this machine has ${l.availableMiB} MiB available and each node needs about ${l.perNodeMiB} MiB (${RESERVE_MIB} MiB are kept for the dashboard)`;
    throw new AppError("practice_limit", `cannot start ${name}: ${l.running} practice node${l.running === 1 ? " is" : "s are"} running, the most this dashboard allows (${why}). Stop one on the Practice page, or raise NODEPREP_PRACTICE_MAX_RUNNING.`);
  }

  const isManager = (user: SessionUser) => hasRole(user.role, "trainer");

  function mayChange(user: SessionUser, nodeId: string | null, kind: PracticeOpKind): boolean {
    if (isManager(user)) return true;
    // A trainee resets (or starts again) only their own node; stopping is for trainers and the idle stop.
    return user.role === "trainee" && nodeId !== null && kind !== "stop" && assignmentOfNode(db, nodeId)?.userId === user.id;
  }

  function overview(user: SessionUser): PracticeOverview {
    const rows = practiceRows();
    const running = new Map(lab.running().map((r) => [r.n, r]));
    const ops = latestOps(db);
    const trainees = new Map(listAssignments(db).map((a) => [a.nodeId, getUser(db, a.userId)?.name ?? null]));
    const idle = deps.config().idleStopMinutes;
    const numbers = [...new Set([...rows.keys(), ...running.keys()])].sort((a, b) => a - b);
    const nodes: PracticeNodeView[] = numbers.flatMap((n) => {
      const row = rows.get(n) ?? null;
      const vm = running.get(n) ?? null;
      if (!isManager(user) && !hasRole(user.role, "viewer") && !(row && assignmentOfNode(db, row.id)?.userId === user.id)) return [];
      const op = ops.get(n) ?? null;
      const busy = op?.status === "running" ? op : null;
      const state: PracticeState = busy ? ({ start: "starting", stop: "stopping", reset: "resetting" } as const)[busy.kind] : vm ? "running" : "stopped";
      const last = row ? lastActivity(db, row.id) : null;
      const activeSince = [last, op?.finishedAt ?? null].filter((t): t is string => t !== null).sort().at(-1) ?? null;
      const can = (kind: PracticeOpKind) => !busy && !lockHolder(n) && mayChange(user, row?.id ?? null, kind);
      return [
        {
          number: n,
          name: practiceName(n),
          nodeId: row?.id ?? null,
          state,
          memoryMiB: lab.nodeMemoryMiB(),
          residentMiB: vm ? lab.residentMiB(vm.pid) : null,
          ssh: vm ? `${vm.user}@${vm.host} -p ${vm.port}` : null,
          trainee: row ? (trainees.get(row.id) ?? null) : null,
          lastActiveAt: activeSince,
          idleStopAt: vm && idle > 0 && activeSince ? new Date(Date.parse(activeSince) + idle * 60_000).toISOString() : null,
          op,
          can: { start: !vm && can("start"), stop: !!vm && can("stop"), reset: can("reset") },
        },
      ];
    });
    return { nodes, limits: limits(), imageReady: lab.imageBuilt(), canAdd: isManager(user) };
  }

  /**
   * The operation itself, for a caller that holds the node's lock: the lab command with its phases
   * recorded, then the inventory brought in step (a started node is registered and its key pinned).
   */
  async function perform(
    n: number,
    kind: PracticeOpKind,
    actor: string | null,
    opts: { reason?: string; onEvent?: (message: string) => void; opId?: string; base?: string } = {},
  ): Promise<OpOutcome & { opId: string }> {
    const name = practiceName(n);
    const opId = opts.opId ?? createOp(db, { number: n, kind, actor, reason: opts.reason ?? null });
    const before = practiceRows().get(n) ?? null;
    recordAudit(db, { actor: actor ?? "system", action: `practice-${kind}`, nodeId: before?.id ?? null, detail: { name, opId, ...(opts.reason ? { reason: opts.reason } : {}) } });
    const event = (message: string) => {
      addOpEvent(db, opId, message);
      opts.onEvent?.(message);
    };
    try {
      await lab.run(kind, n, event, { base: opts.base });
      const node = kind === "stop" ? before : (deps.sync().find((s) => s.name === name) ?? null);
      if (node) {
        deps.forget(node.id);
        touchActivity(db, node.id, new Date(now()));
      }
      const message = kind === "stop" ? `${name} stopped` : `${name} is ready`;
      finishOp(db, opId, "succeeded", message);
      return { opId, ok: true, message, node };
    } catch (error) {
      const message = `${name}: ${kind} failed: ${(error as Error).message}`;
      finishOp(db, opId, "failed", message);
      return { opId, ok: false, message, node: before };
    }
  }

  /** Start an operation in the background; resolves with its id at once (`done` follows it). */
  function launch(n: number, kind: PracticeOpKind, actor: string | null, opts: { reason?: string; nodeId?: string | null; then?: (o: OpOutcome) => void } = {}) {
    const release = lockNode(n, practiceName(n), `${kind} of the practice node`, actor, { db, nodeId: opts.nodeId ?? null });
    const opId = createOp(db, { number: n, kind, actor, reason: opts.reason ?? null });
    const done = (async () => {
      try {
        // A scenario on this node cannot survive its node being reset or stopped under it: a check
        // would grade a fresh node (swap off on a fresh node passes scenario 10 without any work).
        const row = practiceRows().get(n);
        if (row) abandonOpenAttempts(db, row.id);
        const outcome = await perform(n, kind, actor, { reason: opts.reason, opId });
        opts.then?.(outcome);
        return outcome;
      } finally {
        release();
      }
    })();
    return { opId, number: n, done };
  }

  /** Start, stop or reset a registered practice node. */
  function act(user: SessionUser, nodeId: string, kind: PracticeOpKind) {
    const node = getNode(db, nodeId);
    const n = node?.practice ? numberOf(node.name) : null;
    if (!node || n === null) {
      if (!hasRole(user.role, "viewer")) throw new AppError("forbidden", "this node is not a practice node assigned to you");
      throw notFound(`practice node ${nodeId}`);
    }
    if (!mayChange(user, node.id, kind)) {
      if (user.role !== "trainee") throw new AppError("forbidden", `managing practice nodes needs the trainer role; you are ${user.role}`);
      if (assignmentOfNode(db, node.id)?.userId !== user.id) throw new AppError("forbidden", "this node is not a practice node assigned to you");
      throw new AppError("forbidden", `a trainee may reset their own practice node, not ${kind} it`);
    }
    const vm = lab.running().some((r) => r.n === n);
    if (kind === "start" && vm) throw conflict(`${node.name} is already running`);
    if (kind === "stop" && !vm) throw conflict(`${node.name} is not running`);
    if (!vm && kind !== "stop") requireRoom(node.name);
    if (!lab.imageBuilt() && kind !== "stop") requireImage();
    return launch(n, kind, user.name, { nodeId: node.id });
  }

  function requireImage(): void {
    throw new AppError("no_image", "the practice-node image is not built on this machine yet: run `npm run lab -- build` there (a few minutes), then try again");
  }

  /** The lowest node number neither registered nor running. */
  function freeNumber(): number {
    const used = new Set([...practiceRows().keys(), ...lab.running().map((r) => r.n)]);
    for (let n = 1; n <= 99; n++) if (!used.has(n)) return n;
    throw conflict("all 99 practice node numbers are in use");
  }

  /** A new practice node (trainers and admins); `assignTo` gets it once it is up. */
  function add(user: SessionUser | { name: string; role: "trainer" }, opts: { assignTo?: string } = {}) {
    if (!hasRole(user.role, "trainer")) throw new AppError("forbidden", `adding practice nodes needs the trainer role; you are ${user.role}`);
    const n = freeNumber();
    requireRoom(practiceName(n));
    if (!lab.imageBuilt()) requireImage();
    return launch(n, "start", user.name, {
      then: (o) => {
        if (o.ok && o.node && opts.assignTo && !assignmentOfNode(db, o.node.id)) {
          assignNode(db, opts.assignTo, o.node.id, user.name);
          recordAudit(db, { actor: user.name, action: "trainee-assigned", nodeId: o.node.id, detail: { userId: opts.assignTo, node: o.node.name, auto: true } });
        }
      },
    });
  }

  /** Stop practice nodes nobody used for the configured time (called every minute). */
  function sweepIdle(): { name: string; done: Promise<OpOutcome> }[] {
    const idle = deps.config().idleStopMinutes;
    if (idle <= 0) return [];
    const rows = practiceRows();
    const stopped: { name: string; done: Promise<OpOutcome> }[] = [];
    for (const vm of lab.running()) {
      const row = rows.get(vm.n);
      if (!row || lockHolder(vm.n)) continue;
      const op = latestOps(db).get(vm.n);
      const last = [lastActivity(db, row.id), op?.finishedAt ?? op?.startedAt ?? null].filter((t): t is string => t !== null).sort().at(-1);
      if (!last || now() - Date.parse(last) < idle * 60_000) continue;
      try {
        stopped.push({ name: row.name, done: launch(vm.n, "stop", "system", { reason: `idle for ${idle} min`, nodeId: row.id }).done });
      } catch {
        // busy (a run in progress): not idle after all
      }
    }
    return stopped;
  }

  return {
    overview,
    limits,
    act,
    add,
    perform,
    sweepIdle,
    requireRoom,
    isRunning: (n: number) => lab.running().some((r) => r.n === n),
    hasBase: (name: string) => lab.hasBase(name),
    /** Save running node n as base `name` (it stops); the caller holds the node's lock. */
    saveBase: (n: number, name: string, onEvent: (message: string) => void) => lab.saveBase(n, name, onEvent),
    touch: (nodeId: string) => touchActivity(db, nodeId, new Date(now())),
  };
}

export type PracticeService = ReturnType<typeof createPracticeService>;
