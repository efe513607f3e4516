"use client";
import { useId } from "react";
import { describeRollout, planRollout, rollingFromText } from "@/lib/rolling";

export interface RollingChoice {
  on: boolean;
  batch: string;
  stopAfter: string;
  /** The first batch is a canary that waits for an operator's Continue. */
  canary: boolean;
  /** Seconds between batches, as typed ("" or "0": none). */
  pauseSeconds: string;
}

export const DEFAULT_ROLLING: RollingChoice = { on: false, batch: "1", stopAfter: "1", canary: false, pauseSeconds: "" };

/** The choice as settings (or what is wrong with it), for the control's hint and the wizard's request. */
export const parseRollingChoice = (v: RollingChoice) => rollingFromText(v.batch, v.stopAfter, { canary: v.canary, pauseSeconds: v.pauseSeconds });

/**
 * "Rolling: batches of [N] / stop after [M] failures / [ ] canary first / pause [s] s" for an Apply on
 * several nodes (Ansible's serial and max_fail_percentage; a canary batch that waits for Continue; a
 * pause between batches). A Check ignores it: it reads every node at once.
 */
export function RollingControl({ value, onChange, nodeCount }: { value: RollingChoice; onChange: (v: RollingChoice) => void; nodeCount: number }) {
  const id = useId();
  const parsed = parseRollingChoice(value);
  const box = "w-16 rounded border border-slate-300 px-2 py-0.5 font-mono";
  return (
    <fieldset className="flex flex-wrap items-center gap-2 text-sm" aria-label="Rolling Apply">
      <label className="flex items-center gap-1 font-medium">
        <input type="checkbox" className="size-4" checked={value.on} onChange={(e) => onChange({ ...value, on: e.target.checked })} />
        Rolling:
      </label>
      <label htmlFor={`${id}-batch`}>batches of</label>
      <input id={`${id}-batch`} className={box} value={value.batch} disabled={!value.on} onChange={(e) => onChange({ ...value, batch: e.target.value })} aria-describedby={`${id}-hint`} />
      <span aria-hidden="true">/</span>
      <label htmlFor={`${id}-stop`}>stop after</label>
      <input id={`${id}-stop`} className={box} value={value.stopAfter} disabled={!value.on} onChange={(e) => onChange({ ...value, stopAfter: e.target.value })} aria-describedby={`${id}-hint`} />
      <span>failures</span>
      <label className="flex items-center gap-1">
        <input type="checkbox" className="size-4" checked={value.canary} disabled={!value.on} onChange={(e) => onChange({ ...value, canary: e.target.checked })} />
        canary first batch (waits for Continue)
      </label>
      <label htmlFor={`${id}-pause`}>pause</label>
      <input
        id={`${id}-pause`}
        className={box}
        value={value.pauseSeconds}
        placeholder="0"
        inputMode="numeric"
        disabled={!value.on}
        onChange={(e) => onChange({ ...value, pauseSeconds: e.target.value })}
        aria-describedby={`${id}-hint`}
      />
      <span>s between batches</span>
      <span id={`${id}-hint`} className={`text-xs ${value.on && parsed.error ? "text-red-800" : "text-slate-600"}`} role={value.on && parsed.error ? "alert" : undefined}>
        {!value.on
          ? "Apply runs every node at once (a number or a percentage such as 25%)."
          : parsed.rolling === null
            ? parsed.error
            : `Apply on ${nodeCount} nodes in ${describeRollout(planRollout(nodeCount, parsed.rolling))}. Check reads all at once.`}
      </span>
    </fieldset>
  );
}
