"use client";
import Link from "next/link";
import { wizardStepHref } from "@/lib/api/health";
import type { DriftEvent } from "@/lib/contracts/health";
import { StateIcon } from "./state-icon";
import { formatTime } from "./time";

/** "br_netfilter module on practice-51: fail since 14:02 (ok at 13:55); the node rebooted at 13:58." */
export function DriftList({ events, showNode = true }: { events: DriftEvent[]; showNode?: boolean }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No drift: nothing that was ok has stopped being ok.</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" aria-label="Drift events">
      {events.map((e) => (
        <li key={e.id} className="flex gap-3 p-3 text-sm" data-probe={e.probeId} data-open={e.resolvedAt === null}>
          <StateIcon state={e.resolvedAt ? "ok" : e.toStatus} size="sm" />
          <div className="space-y-0.5">
            <p>
              <span className="font-semibold">{e.probeTitle}</span>
              {showNode && (
                <>
                  {" "}
                  on{" "}
                  <Link href={`/health/${e.nodeId}`} className="text-sky-800 underline">
                    {e.nodeName}
                  </Link>
                </>
              )}
              : {e.resolvedAt ? "was " : ""}
              {e.toStatus === "fail" ? "failing" : "warning"} since <time dateTime={e.detectedAt}>{formatTime(e.detectedAt)}</time> (ok at{" "}
              <time dateTime={e.lastOkAt}>{formatTime(e.lastOkAt)}</time>)
              {e.rebooted && (
                <>
                  ; the node rebooted{e.bootedAt ? <> at <time dateTime={e.bootedAt}>{formatTime(e.bootedAt)}</time></> : null} in between
                </>
              )}
              .
            </p>
            {e.resolvedAt ? (
              // Resolved: the bad value beside a green mark read as if it still held.
              <p className="font-mono text-xs text-slate-700">
                <span className="font-sans text-slate-500">was:</span> {e.observed}
                {e.resolvedObserved && (
                  <>
                    , <span className="font-sans text-slate-500">now:</span> {e.resolvedObserved}
                  </>
                )}
              </p>
            ) : (
              <p className="font-mono text-xs text-slate-700">{e.observed}</p>
            )}
            <p className="text-xs">
              {e.resolvedAt ? (
                <span className="text-emerald-800">resolved at {formatTime(e.resolvedAt)}</span>
              ) : (
                <span className="font-semibold text-red-800">open</span>
              )}
              {!e.resolvedAt && e.fixStepId && (
                <>
                  {" · "}
                  <Link href={wizardStepHref(e.fixStepId, e.nodeId)} className="text-sky-800 underline">
                    fix in the wizard ({e.fixStepId})
                  </Link>
                </>
              )}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
