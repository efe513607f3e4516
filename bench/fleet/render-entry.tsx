// Bundled by bench/fleet/render.ts (esbuild) and run in Chromium: the node list and the health matrix
// with 1,000 synthetic nodes, flat and in one section per group, as the pages render them.
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { arrangeMatrix } from "../../components/health/matrix-groups";
import { HealthMatrix } from "../../components/health/health-matrix";
import { filterNodes, groupsByNode } from "../../components/nodes/filter";
import { NodeRows } from "../../components/nodes/node-table";
import type { GroupSummary } from "../../lib/contracts/groups";
import type { HealthMatrix as Matrix } from "../../lib/contracts/health";
import type { NodeSummary } from "../../lib/contracts/nodes";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const noop = () => {};

function time(fn: () => void): number {
  const t0 = performance.now();
  flushSync(fn);
  void document.body.offsetHeight; // layout
  return performance.now() - t0;
}

/** Resolves when `cond` holds, checked every frame (rows past the first render in the background). */
const until = (cond: () => boolean) =>
  new Promise<void>((resolve, reject) => {
    const t0 = performance.now();
    const check = () => (cond() ? resolve() : performance.now() - t0 > 60_000 ? reject(new Error("timed out")) : requestAnimationFrame(check));
    check();
  });

/** Time from `fn` until `done` holds: what a person waits for. */
async function timeUntil(fn: () => void, done: () => boolean): Promise<number> {
  const t0 = performance.now();
  flushSync(fn);
  await until(done);
  void document.body.offsetHeight;
  return performance.now() - t0;
}
const rowCount = (el: HTMLElement) => el.querySelectorAll("tr[data-node]").length;

async function benchFleet(nodes: NodeSummary[], groups: GroupSummary[], m: Matrix, reps: number) {
  const el = document.getElementById("root")!;
  const r = { list: [] as number[], listFilter: [] as number[], flat: [] as number[], flatAll: [] as number[], grouped: [] as number[], groupedAll: [] as number[], groupFilter: [] as number[], poll: [] as number[] };
  const byNode = groupsByNode(groups);
  const progress = new Map();
  for (let i = 0; i < reps; i++) {
    let root = createRoot(el);
    r.list.push(time(() => root.render(<NodeRows nodes={nodes} byNode={byNode} />)));
    await nextFrame();
    // Typing "node-01" in the filter: the rows that still match.
    r.listFilter.push(time(() => root.render(<NodeRows nodes={filterNodes(nodes, "node-01", null)} byNode={byNode} />)));
    await nextFrame();
    root.unmount();

    root = createRoot(el);
    const flat = arrangeMatrix(m.nodes, groups, { groupId: null, status: "all", text: "", byGroup: false });
    const t0 = performance.now();
    r.flat.push(time(() => root.render(<HealthMatrix columns={m.columns} rows={flat.rows} keys={flat.keys} sections={null} progress={progress} selected={null} onSelect={noop} />)));
    await until(() => rowCount(el) === flat.rows.length);
    r.flatAll.push(performance.now() - t0);
    await nextFrame();
    // A poll while a scan runs: 50 nodes have a new check, the other rows keep their identity.
    const polled = m.nodes.map((row, j) => (j % 20 === i % 20 ? { ...row, cells: row.cells.map((c) => ({ ...c, state: c.state === "ok" ? ("fail" as const) : ("ok" as const) })) } : row));
    const after = arrangeMatrix(polled, groups, { groupId: null, status: "all", text: "", byGroup: false });
    const changed = i % 20;
    const wanted = after.rows[changed].cells[0].state;
    r.poll.push(
      await timeUntil(
        () => root.render(<HealthMatrix columns={m.columns} rows={after.rows} keys={after.keys} sections={null} progress={progress} selected={null} onSelect={noop} />),
        () => el.querySelector(`[data-cell="${changed}:0"]`)?.getAttribute("data-state") === wanted,
      ),
    );
    await nextFrame();
    root.unmount();

    root = createRoot(el);
    const g0 = performance.now();
    let total = 0;
    r.grouped.push(
      time(() => {
        const g = arrangeMatrix(m.nodes, groups, { groupId: null, status: "all", text: "", byGroup: true });
        total = g.rows.length;
        root.render(<HealthMatrix columns={m.columns} rows={g.rows} keys={g.keys} sections={g.sections} progress={progress} selected={null} onSelect={noop} />);
      }),
    );
    await until(() => rowCount(el) === total);
    r.groupedAll.push(performance.now() - g0);
    await nextFrame();
    // Filter to one group of 100 (sections: that group and its children).
    const one = arrangeMatrix(m.nodes, groups, { groupId: groups[0].id, status: "all", text: "", byGroup: true });
    r.groupFilter.push(
      await timeUntil(
        () => root.render(<HealthMatrix columns={m.columns} rows={one.rows} keys={one.keys} sections={one.sections} progress={progress} selected={null} onSelect={noop} />),
        () => rowCount(el) === one.rows.length,
      ),
    );
    await nextFrame();
    if (!document.querySelector('tbody[aria-label^="group"]')) throw new Error("no group section rendered");
    root.unmount();
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    nodeListMs: round(median(r.list)),
    nodeListFilterMs: round(median(r.listFilter)),
    matrixMs: round(median(r.flat)),
    matrixAllRowsMs: round(median(r.flatAll)),
    matrixPollMs: round(median(r.poll)),
    matrixGroupedMs: round(median(r.grouped)),
    matrixGroupedAllRowsMs: round(median(r.groupedAll)),
    matrixOneGroupMs: round(median(r.groupFilter)),
  };
}

(window as unknown as { benchFleet: typeof benchFleet }).benchFleet = benchFleet;
