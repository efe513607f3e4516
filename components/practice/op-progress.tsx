import type { OpEvent } from "@/lib/contracts/practice";
import { formatTime } from "../health/time";
import { StatusBadge } from "../runs/status-badge";

/** A background operation's phases as they happened (practice-node start/stop/reset, a scenario's start or check). */
export function OpProgress({
  title,
  status,
  events,
  message,
  startedAt,
}: {
  title: string;
  status: "running" | "succeeded" | "failed" | "interrupted";
  events: OpEvent[];
  message: string | null;
  startedAt: string;
}) {
  return (
    <div role="status" aria-label={title} data-state={status} className="space-y-1 rounded border border-slate-200 bg-slate-50 p-2 text-xs">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{title}</span>
        <StatusBadge status={status} />
        <span className="text-slate-600">since {formatTime(startedAt)}</span>
      </div>
      <ol aria-label={`${title}: phases`} className="space-y-0.5 font-mono">
        {events.map((e, i) => (
          <li key={i} className="flex gap-2">
            <span className="text-slate-500">{formatTime(e.at)}</span>
            <span>{e.message}</span>
          </li>
        ))}
        {status === "running" && <li className="text-slate-500">…</li>}
      </ol>
      {message && status !== "running" && <p className={status === "succeeded" ? "text-slate-800" : "text-red-800"}>{message}</p>}
    </div>
  );
}
