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

async function benchFleet(nodes: NodeSummary[], groups: GroupSummary[], m: Matrix, reps: number) {
  const el = document.getElementById("root")!;
  const r = { list: [] as number[], listFilter: [] as number[], flat: [] as number[], grouped: [] as number[], groupFilter: [] as number[], poll: [] as number[] };
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
    r.flat.push(time(() => root.render(<HealthMatrix columns={m.columns} rows={flat.rows} keys={flat.keys} sections={null} progress={progress} selected={null} onSelect={noop} />)));
    await nextFrame();
    // A poll while a scan runs: 50 nodes have a new check, the other rows keep their identity.
    const polled = m.nodes.map((row, j) => (j % 20 === i % 20 ? { ...row, cells: row.cells.map((c) => ({ ...c, state: c.state === "ok" ? ("fail" as const) : ("ok" as const) })) } : row));
    const after = arrangeMatrix(polled, groups, { groupId: null, status: "all", text: "", byGroup: false });
    r.poll.push(time(() => root.render(<HealthMatrix columns={m.columns} rows={after.rows} keys={after.keys} sections={null} progress={progress} selected={null} onSelect={noop} />)));
    await nextFrame();
    root.unmount();

    root = createRoot(el);
    r.grouped.push(
      time(() => {
        const g = arrangeMatrix(m.nodes, groups, { groupId: null, status: "all", text: "", byGroup: true });
        root.render(<HealthMatrix columns={m.columns} rows={g.rows} keys={g.keys} sections={g.sections} progress={progress} selected={null} onSelect={noop} />);
      }),
    );
    await nextFrame();
    // Filter to one group of 100 (sections: that group and its children).
    r.groupFilter.push(
      time(() => {
        const g = arrangeMatrix(m.nodes, groups, { groupId: groups[0].id, status: "all", text: "", byGroup: true });
        root.render(<HealthMatrix columns={m.columns} rows={g.rows} keys={g.keys} sections={g.sections} progress={progress} selected={null} onSelect={noop} />);
      }),
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
    matrixPollMs: round(median(r.poll)),
    matrixGroupedMs: round(median(r.grouped)),
    matrixOneGroupMs: round(median(r.groupFilter)),
  };
}

(window as unknown as { benchFleet: typeof benchFleet }).benchFleet = benchFleet;
