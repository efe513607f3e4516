import type { Grade } from "@/lib/contracts/training";
import { formatTime } from "../health/time";
import { StatusBadge } from "../runs/status-badge";
import { ProbeCard } from "../runs/verification-panel";

/** The grader's verdict: every objective's probe with the node's raw output, as the wizard's verification shows it. */
export function GradePanel({ grade, title = "Last check" }: { grade: Grade; title?: string }) {
  return (
    <section aria-label={title} className="space-y-2" data-passed={grade.passed ? "yes" : "no"}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">{title}</h3>
        <StatusBadge status={grade.passed ? "ok" : "fail"} label={grade.passed ? "passed" : "not yet"} />
        <span className="text-xs text-slate-600">
          {formatTime(grade.at)}
          {grade.rebooted ? ", after rebooting the node" : ""}
        </span>
      </div>
      <p className="text-sm text-slate-800">{grade.summary}</p>
      <ul className="space-y-2" aria-label="Objectives">
        {grade.objectives.map((o) => (
          <li key={o.probeId} className="space-y-1">
            <p className="text-xs text-slate-600">
              Objective: <span className="font-medium text-slate-900">{o.title}</span>
              {o.afterReboot && <span className="ml-1 rounded bg-slate-100 px-1">{o.checkedAfterReboot ? "checked after a reboot" : "checked again after a reboot"}</span>}
            </p>
            <ul>
              <ProbeCard result={o.result} />
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
