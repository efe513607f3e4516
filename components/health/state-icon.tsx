import type { CSSProperties } from "react";
import type { CellState } from "@/lib/contracts/health";

// Each state has its own glyph AND its own lightness, so the matrix reads in greyscale and for
// colour-blind eyes: ok = dark fill with a check, warn = light fill with "!", fail = black fill with a
// cross, unknown = white with a dashed border and "?", unreachable = hatched with a slashed circle.
const HATCHED: CSSProperties = { backgroundImage: "repeating-linear-gradient(45deg, #cbd5e1 0 3px, #f8fafc 3px 6px)" };

export const STATE_STYLE: Record<CellState, { glyph: string; label: string; className: string; style?: CSSProperties }> = {
  ok: { glyph: "✓", label: "ok", className: "bg-emerald-700 text-white border-emerald-800" },
  warn: { glyph: "!", label: "warning", className: "bg-amber-300 text-black border-amber-500" },
  fail: { glyph: "✕", label: "failing", className: "bg-red-700 text-white border-red-900 font-black" },
  unknown: { glyph: "?", label: "unknown", className: "bg-white text-slate-700 border-dashed border-slate-500" },
  unreachable: { glyph: "⊘", label: "unreachable", className: "text-slate-900 border-slate-600", style: HATCHED },
};

export function StateIcon({ state, size = "md" }: { state: CellState; size?: "sm" | "md" }) {
  const s = STATE_STYLE[state];
  const dims = size === "sm" ? "h-5 w-5 text-xs" : "h-7 w-7 text-sm";
  return (
    <span aria-hidden="true" style={s.style} className={`inline-flex ${dims} items-center justify-center rounded border font-bold ${s.className}`}>
      {s.glyph}
    </span>
  );
}

/** Icon plus the word: for places where there is room (legend, detail panel, stack picture). */
export function StateBadge({ state }: { state: CellState }) {
  return (
    <span className="inline-flex items-center gap-1.5" data-state={state}>
      <StateIcon state={state} size="sm" />
      <span className="text-sm font-medium">{STATE_STYLE[state].label}</span>
    </span>
  );
}

export function StateLegend() {
  return (
    <ul aria-label="Legend" className="flex flex-wrap gap-3 text-sm text-slate-700">
      {(Object.keys(STATE_STYLE) as CellState[]).map((s) => (
        <li key={s}>
          <StateBadge state={s} />
        </li>
      ))}
    </ul>
  );
}
