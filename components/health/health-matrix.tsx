"use client";
import Link from "next/link";
import { memo, useCallback, useDeferredValue, useRef, useState, type KeyboardEvent } from "react";
import type { HealthCell, HealthColumn, HealthNodeRow, ScanNodeProgress } from "@/lib/contracts/health";
import type { MatrixSection } from "./matrix-groups";
import { StateIcon, STATE_STYLE } from "./state-icon";
import { formatTime } from "./time";

export interface CellRef {
  nodeId: string;
  probeId: string;
}

interface Tip {
  row: HealthNodeRow;
  cell: HealthCell;
  column: HealthColumn;
  top: number;
  left: number;
}

/** Rows painted in the first frame; the rest follow in the background. */
export const FIRST_ROWS = 80;

const PROGRESS_TEXT: Record<ScanNodeProgress["state"], string> = {
  queued: "queued",
  connecting: "connecting…",
  probing: "probing…",
  done: "",
  unreachable: "",
};

/**
 * Nodes x probes. One tab stop (roving tabindex): arrows, Home/End move between cells, Enter or a click
 * opens a cell. One tooltip element follows the hovered or focused cell (observed vs expected), so 500
 * rows do not carry thousands of hidden tooltips.
 */
export function HealthMatrix({
  columns,
  rows,
  keys,
  sections,
  progress,
  selected,
  onSelect,
}: {
  columns: HealthColumn[];
  rows: HealthNodeRow[];
  /** One per row when a node may appear twice (in two groups' sections); default the node id. */
  keys?: string[];
  /** Rows in sections (a group each), from arrangeMatrix. */
  sections?: MatrixSection[] | null;
  progress: Map<string, ScanNodeProgress>;
  selected: CellRef | null;
  onSelect: (cell: CellRef) => void;
}) {
  // A fleet's matrix (1,000 rows, 16,000 cells) takes most of a second to build in the browser: the
  // first rows paint at once, the rest render in the background, interruptible, so typing in a filter
  // or a poll's update never waits for it (bench/fleet measures both).
  const shownRows = useDeferredValue(rows, rows.length > FIRST_ROWS ? rows.slice(0, FIRST_ROWS) : rows);
  const [active, setActive] = useState({ r: 0, c: 0 });
  const [tip, setTip] = useState<Tip | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const r = Math.min(active.r, Math.max(0, rows.length - 1));
  const c = Math.min(active.c, Math.max(0, columns.length - 1));

  const showTip = useCallback(
    (row: HealthNodeRow, col: number, el: HTMLElement) => {
      const box = container.current?.getBoundingClientRect();
      const rect = el.getBoundingClientRect();
      if (!box) return;
      setTip({
        row,
        cell: row.cells[col],
        column: columns[col],
        top: rect.bottom - box.top + (container.current?.scrollTop ?? 0) + 4,
        left: Math.min(rect.left - box.left + (container.current?.scrollLeft ?? 0), box.width - 320),
      });
    },
    [columns],
  );
  const hideTip = useCallback(() => setTip(null), []);

  const focusCell = (nr: number, nc: number) => {
    setActive({ r: nr, c: nc });
    container.current?.querySelector<HTMLButtonElement>(`[data-cell="${nr}:${nc}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowRight: [r, Math.min(c + 1, columns.length - 1)],
      ArrowLeft: [r, Math.max(c - 1, 0)],
      ArrowDown: [Math.min(r + 1, rows.length - 1), c],
      ArrowUp: [Math.max(r - 1, 0), c],
      Home: [r, 0],
      End: [r, columns.length - 1],
    };
    const to = moves[e.key];
    if (!to || !(e.target instanceof HTMLButtonElement) || !e.target.dataset.cell) return;
    e.preventDefault();
    focusCell(to[0], to[1]);
  };

  return (
    <div ref={container} className="relative overflow-x-auto rounded border border-slate-200 bg-white" onKeyDown={onKeyDown}>
      <table className="border-collapse text-sm" aria-label="Health matrix: nodes by probes" aria-describedby="health-matrix-help">
        <thead className="bg-slate-100">
          <tr>
            <th scope="col" className="sticky left-0 z-10 bg-slate-100 p-2 text-left align-bottom">
              Node
            </th>
            {columns.map((col) => (
              <th key={col.probeId} scope="col" className="w-20 max-w-20 p-1 align-bottom text-xs font-semibold leading-tight text-slate-700" title={col.probeId}>
                {col.title}
              </th>
            ))}
          </tr>
        </thead>
        {(sections ?? [{ start: 0, count: rows.length, title: "", ready: 0 }]).map((section) => (
          <tbody key={`${section.title}:${section.start}`} aria-label={section.title || undefined}>
            {sections && (
              <tr className="border-t-2 border-slate-300 bg-slate-50">
                <th scope="rowgroup" colSpan={columns.length + 1} className="sticky left-0 p-2 text-left text-sm font-semibold">
                  {section.title} <span className="font-normal text-slate-600">· {section.ready} ready of {section.count}</span>
                </th>
              </tr>
            )}
            {shownRows.slice(section.start, section.start + section.count).map((row, j) => {
              const i = section.start + j;
              return (
                <MatrixRow
                  key={keys?.[i] ?? row.nodeId}
                  row={row}
                  index={i}
                  columns={columns}
                  progress={progress.get(row.nodeId) ?? null}
                  activeCol={i === r ? c : -1}
                  selectedProbe={selected?.nodeId === row.nodeId ? selected.probeId : null}
                  onSelect={onSelect}
                  onActivate={setActive}
                  showTip={showTip}
                  hideTip={hideTip}
                />
              );
            })}
          </tbody>
        ))}
      </table>
      <p id="health-matrix-help" className="sr-only">
        Arrow keys move between cells; Enter opens a cell&apos;s raw output.
      </p>
      {tip && (
        <div role="tooltip" className="pointer-events-none absolute z-20 w-80 rounded border border-slate-300 bg-white p-2 text-xs shadow-lg" style={{ top: tip.top, left: Math.max(0, tip.left) }}>
          <p className="font-semibold">
            {tip.column.title} on {tip.row.name}: {STATE_STYLE[tip.cell.state].label}
          </p>
          <p>
            <span className="text-slate-500">observed </span>
            <span className="font-mono">{tip.cell.observed}</span>
          </p>
          {tip.cell.expected && (
            <p>
              <span className="text-slate-500">expected </span>
              <span className="font-mono">{tip.cell.expected}</span>
            </p>
          )}
          {tip.cell.at && <p className="text-slate-500">checked {formatTime(tip.cell.at)}</p>}
        </div>
      )}
    </div>
  );
}

const MatrixRow = memo(function MatrixRow({
  row,
  index,
  columns,
  progress,
  activeCol,
  selectedProbe,
  onSelect,
  onActivate,
  showTip,
  hideTip,
}: {
  row: HealthNodeRow;
  index: number;
  columns: HealthColumn[];
  progress: ScanNodeProgress | null;
  activeCol: number;
  selectedProbe: string | null;
  onSelect: (cell: CellRef) => void;
  onActivate: (a: { r: number; c: number }) => void;
  showTip: (row: HealthNodeRow, col: number, el: HTMLElement) => void;
  hideTip: () => void;
}) {
  const scanning = progress ? PROGRESS_TEXT[progress.state] : "";
  return (
    <tr className="border-t border-slate-200" data-node={row.name} data-ready={row.ready}>
      <th scope="row" className="sticky left-0 z-10 bg-white p-2 text-left font-normal">
        <Link href={`/health/${row.nodeId}`} className="font-medium text-sky-800 underline-offset-2 hover:underline">
          {row.name}
        </Link>
        <div className="text-xs text-slate-600">
          {row.lastCheck === null ? "never checked" : row.ready ? "ready" : row.lastCheck.reach === "unreachable" ? "unreachable" : "not ready"}
          {row.openDrift > 0 && <span className="ml-1 font-semibold text-red-800">· drift {row.openDrift}</span>}
          {scanning && (
            <span className="ml-1 text-sky-800" data-testid="scan-progress">
              · {scanning}
            </span>
          )}
        </div>
      </th>
      {row.cells.map((cell, c) => (
        <td key={cell.probeId} className="p-1 text-center">
          <button
            type="button"
            data-cell={`${index}:${c}`}
            data-probe={cell.probeId}
            data-state={cell.state}
            tabIndex={activeCol === c ? 0 : -1}
            aria-label={`${row.name}: ${columns[c].title}: ${STATE_STYLE[cell.state].label}`}
            aria-pressed={selectedProbe === cell.probeId}
            className={`rounded p-0.5 ${selectedProbe === cell.probeId ? "ring-2 ring-sky-600" : ""}`}
            onClick={() => {
              onActivate({ r: index, c });
              onSelect({ nodeId: row.nodeId, probeId: cell.probeId });
            }}
            onFocus={(e) => {
              onActivate({ r: index, c });
              showTip(row, c, e.currentTarget);
            }}
            onBlur={hideTip}
            onMouseEnter={(e) => showTip(row, c, e.currentTarget)}
            onMouseLeave={hideTip}
          >
            <StateIcon state={cell.state} />
          </button>
        </td>
      ))}
    </tr>
  );
});
