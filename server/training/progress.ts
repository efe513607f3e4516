import "server-only";
import type { ProgressTable } from "@/lib/contracts/training";
import type { Db } from "../db";
import { listAttempts } from "./attempts";
import { scenarios } from "./scenarios";
import { selfCheckIds, selfCheckProgress } from "./self-checks";
import { progressOf } from "./views";
import { listTrainees } from "./trainees";

// The trainer's table: trainees x scenarios (status, time, attempts, hints, solution, the
// last check's verdicts) and their self-check results, and the same as CSV.

export function progressTable(db: Db): ProgressTable {
  const trainees = listTrainees(db);
  const ids = trainees.map((t) => t.id);
  const attempts = listAttempts(db, ids);
  const checks = selfCheckProgress(db, ids);
  const all = scenarios();
  const selfChecks = selfCheckIds();
  return {
    scenarios: all.map((s) => ({ id: s.id, number: s.number, title: s.title })),
    selfChecks,
    trainees: trainees.map((t) => ({
      userId: t.id,
      name: t.name,
      node: t.node?.name ?? null,
      scenarios: Object.fromEntries(all.map((s) => [s.id, progressOf(attempts.filter((a) => a.userId === t.id && a.scenarioId === s.id))])),
      selfChecks: Object.fromEntries(selfChecks.map((c) => [c.id, checks.get(t.id)?.get(c.id) ?? null])),
    })),
  };
}

export const CSV_HEADER = [
  "trainee",
  "practice node",
  "kind",
  "id",
  "title",
  "status",
  "time (s)",
  "attempts",
  "checks",
  "hints opened",
  "solution viewed",
  "last check",
  "last verdicts",
  "self-check score",
] as const;

/** RFC 4180: quote every field, double the quotes; a leading = + - @ is defused for spreadsheets. */
export function csvField(value: string | number | boolean | null): string {
  const text = value === null ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** One row per trainee and scenario, then per trainee and self-check. */
export function progressCsv(table: ProgressTable): string {
  const lines = [CSV_HEADER.map(csvField).join(",")];
  for (const t of table.trainees) {
    for (const s of table.scenarios) {
      const p = t.scenarios[s.id];
      lines.push(
        [
          t.name,
          t.node,
          "scenario",
          s.id,
          `${s.number}. ${s.title}`,
          p.status,
          p.timeMs === null ? null : Math.round(p.timeMs / 1000),
          p.attempts,
          p.checks,
          p.hintsOpened,
          p.solutionViewed ? "yes" : "no",
          p.lastCheckAt,
          p.lastVerdicts?.map((v) => `${v.probeId}: ${v.passed ? "pass" : "fail"}`).join("; ") ?? null,
          null,
        ]
          .map(csvField)
          .join(","),
      );
    }
    for (const c of table.selfChecks) {
      const r = t.selfChecks[c.id];
      lines.push(
        [t.name, t.node, "self-check", c.id, c.title, r ? "answered" : "not-started", null, r?.submissions ?? 0, null, null, null, r?.answeredAt ?? null, null, r ? `${r.correct}/${r.total}` : null]
          .map(csvField)
          .join(","),
      );
    }
  }
  return lines.join("\r\n") + "\r\n";
}
