"use client";
import { useEffect, useRef } from "react";
import type { NodeView } from "./run-view";

/** A node's log, as text (never HTML): commands as run, their output lines, exit codes. */
export function RunLog({ node, stepId, live }: { node: NodeView; stepId?: string; live: boolean }) {
  const ref = useRef<HTMLPreElement>(null);
  const lines = stepId ? node.log.filter((l) => l.stepId === stepId || l.stepId === null) : node.log;
  useEffect(() => {
    const el = ref.current;
    if (el && live) el.scrollTop = el.scrollHeight;
  }, [lines.length, live]);
  return (
    <pre
      ref={ref}
      role="log"
      aria-label={`Log of ${node.name}`}
      aria-live={live ? "polite" : "off"}
      tabIndex={0}
      className="max-h-80 overflow-auto rounded bg-slate-950 p-3 font-mono text-xs leading-5 text-slate-100 focus:outline-2 focus:outline-blue-500"
    >
      {lines.length === 0 && <span className="text-slate-400">{node.status === "skipped" ? "not started: nothing was run on this node" : "waiting for the first event…"}</span>}
      {lines.map((l) => {
        switch (l.kind) {
          case "command":
            return (
              <div key={l.seq} className="whitespace-pre-wrap text-sky-300">
                $ {l.text}
              </div>
            );
          case "stdout":
            return <div key={l.seq}>{l.text}</div>;
          case "stderr":
            return (
              <div key={l.seq} className="text-amber-200">
                {l.text}
              </div>
            );
          case "exit":
            return (
              <div key={l.seq} className={l.code === 0 ? "text-slate-400" : "text-red-300"}>
                {l.code === null ? "✗ no exit code (the command did not finish)" : `${l.code === 0 ? "✓" : "✗"} exit ${l.code}`} · {l.durationMs} ms
              </div>
            );
          case "phase":
            return (
              <div key={l.seq} className="text-slate-400">
                ── {l.phase}
                {l.stepId ? ` (${l.stepId})` : ""}
              </div>
            );
          case "note":
            return (
              <div key={l.seq} className="text-slate-300">
                # {l.text}
              </div>
            );
        }
      })}
    </pre>
  );
}
