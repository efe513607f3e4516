// Bundled by bench/health.ts (esbuild) and run in Chromium: renders the real HealthMatrix with the
// synthetic matrix the bench generated and times it.
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { HealthMatrix } from "../components/health/health-matrix";
import type { HealthMatrix as Matrix, HealthNodeRow } from "../lib/contracts/health";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const noop = () => {};
/** Resolves when `cond` holds, checked every frame (the matrix renders rows past the first in the background). */
const until = (cond: () => boolean) =>
  new Promise<void>((resolve, reject) => {
    const t0 = performance.now();
    const check = () => (cond() ? resolve() : performance.now() - t0 > 30_000 ? reject(new Error("timed out")) : requestAnimationFrame(check));
    check();
  });

async function benchMatrix(m: Matrix, reps: number) {
  const el = document.getElementById("root")!;
  const first: number[] = [];
  const frame: number[] = [];
  const update: number[] = [];
  const tooltip: number[] = [];
  const keyMove: number[] = [];
  for (let i = 0; i < reps; i++) {
    const root = createRoot(el);
    const progress = new Map();
    const t0 = performance.now();
    flushSync(() => root.render(<HealthMatrix columns={m.columns} rows={m.nodes} progress={progress} selected={null} onSelect={noop} />));
    void document.body.offsetHeight; // layout
    first.push(performance.now() - t0);
    // Every row on the page (the first ones paint at once, the rest in the background).
    await until(() => el.querySelectorAll("tr[data-node]").length === m.nodes.length);
    await nextFrame();
    frame.push(performance.now() - t0);

    // A scan result: 25 rows change, the others keep their identity (react-query's structural sharing).
    const rows: HealthNodeRow[] = m.nodes.map((r, j) => (j % 20 === i % 20 ? { ...r, cells: r.cells.map((c) => ({ ...c, state: c.state === "ok" ? "fail" : "ok" })) } : r));
    const t1 = performance.now();
    const changedRow = i % 20;
    const wanted = rows[changedRow].cells[0].state;
    flushSync(() => root.render(<HealthMatrix columns={m.columns} rows={rows} progress={progress} selected={null} onSelect={noop} />));
    await until(() => el.querySelector(`[data-cell="${changedRow}:0"]`)?.getAttribute("data-state") === wanted);
    void document.body.offsetHeight;
    update.push(performance.now() - t1);
    await nextFrame();

    const cell = el.querySelector<HTMLButtonElement>('[data-cell="250:3"]')!;
    const t2 = performance.now();
    flushSync(() => cell.focus()); // React 19 flushes discrete updates in a microtask: force the commit here
    void document.body.offsetHeight;
    tooltip.push(performance.now() - t2);
    if (!document.querySelector('[role="tooltip"]')) throw new Error("no tooltip");
    await nextFrame();

    const t3 = performance.now();
    flushSync(() => cell.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true })));
    void document.body.offsetHeight;
    keyMove.push(performance.now() - t3);
    if (document.activeElement?.getAttribute("data-cell") !== "251:3") throw new Error("arrow key did not move focus");
    await nextFrame();
    root.unmount();
  }
  const r = (x: number) => Math.round(x * 10) / 10;
  return { firstRenderMs: r(median(first)), firstFrameMs: r(median(frame)), updateMs: r(median(update)), tooltipMs: r(median(tooltip)), keyMoveMs: r(median(keyMove)) };
}

(window as unknown as { benchMatrix: typeof benchMatrix }).benchMatrix = benchMatrix;
