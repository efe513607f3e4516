"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import type { SelfCheckResult } from "@/lib/contracts/training";
import { formatTime } from "../health/time";
import { useAnswerSelfCheck, useSelfCheck } from "./use-training";

/** Questions are plain text where `backticks` mark a command or a file (as in the Markdown beside them). */
function withCode(text: string): ReactNode[] {
  return text.split(/(`[^`]+`)/).map((part, i) =>
    part.startsWith("`") && part.endsWith("`") && part.length > 2 ? (
      <code key={i} className="rounded bg-white px-1 font-mono text-[0.95em]">
        {part.slice(1, -1)}
      </code>
    ) : (
      part
    ),
  );
}

/**
 * The self-check at the end of a chapter or step: a few questions, answered here, each
 * answer judged on the server and explained; the result goes into the trainee's progress.
 */
export function SelfCheck({ checkId }: { checkId: string }) {
  const check = useSelfCheck(checkId);
  const answer = useAnswerSelfCheck(checkId);
  const [chosen, setChosen] = useState<Record<string, number>>({});
  const [retrying, setRetrying] = useState(false);
  if (check.isPending) return null;
  if (check.error) return <p role="alert" className="text-sm text-red-700">Could not load the self-check: {check.error.message}</p>;
  const view = check.data;
  const result: SelfCheckResult | null = retrying ? null : (answer.data ?? view.last);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setRetrying(false);
    answer.mutate(chosen);
  };
  const complete = view.questions.every((q) => chosen[q.id] !== undefined);
  return (
    <section aria-labelledby={`self-check-${checkId}`} className="space-y-3 rounded border border-sky-200 bg-sky-50 p-4">
      <div className="flex flex-wrap items-baseline gap-2">
        <h2 id={`self-check-${checkId}`} className="text-lg font-semibold">
          Self-check
        </h2>
        {result && (
          <span role="status" aria-label="Self-check result" className="text-sm font-semibold">
            {result.correct} of {result.total} right
            <span className="ml-2 font-normal text-slate-600">({formatTime(result.answeredAt)})</span>
          </span>
        )}
      </div>
      <form onSubmit={submit} aria-label={`Self-check: ${view.title}`} className="space-y-4">
        {view.questions.map((q, qi) => {
          const outcome = result?.outcomes.find((o) => o.questionId === q.id);
          return (
            <fieldset key={q.id} className="space-y-1">
              <legend className="text-sm font-medium">
                {qi + 1}. {withCode(q.text)}
              </legend>
              {q.choices.map((c, ci) => {
                const mark = outcome ? (ci === outcome.correctChoice ? "✓" : ci === outcome.chosen ? "✗" : "") : "";
                return (
                  <label key={ci} className="flex items-start gap-2 text-sm">
                    <input
                      type="radio"
                      className="mt-1"
                      name={`${checkId}-${q.id}`}
                      disabled={result !== null}
                      checked={outcome ? outcome.chosen === ci : chosen[q.id] === ci}
                      onChange={() => setChosen((c) => ({ ...c, [q.id]: ci }))}
                    />
                    <span>
                      {withCode(c)}
                      {mark && (
                        <span aria-hidden="true" className={`ml-1 font-bold ${mark === "✓" ? "text-green-800" : "text-red-800"}`}>
                          {mark}
                        </span>
                      )}
                    </span>
                  </label>
                );
              })}
              {outcome && (
                <p aria-label={`Answer to question ${qi + 1}`} className={`rounded px-2 py-1 text-sm ${outcome.correct ? "bg-green-100 text-green-950" : "bg-red-100 text-red-950"}`}>
                  <strong>{outcome.correct ? "Right." : "Not quite."}</strong> {withCode(outcome.explanation)}
                  {!outcome.correct && <span className="block">The answer: {withCode(outcome.correctExplanation)}</span>}
                </p>
              )}
            </fieldset>
          );
        })}
        {result ? (
          <button
            type="button"
            className="rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-semibold hover:bg-slate-100"
            onClick={() => {
              setChosen({});
              setRetrying(true);
              answer.reset();
            }}
          >
            Answer again
          </button>
        ) : (
          <button type="submit" disabled={!complete || answer.isPending} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50">
            Check my answers
          </button>
        )}
        {answer.error && (
          <p role="alert" className="text-sm text-red-700">
            {answer.error.message}
          </p>
        )}
      </form>
    </section>
  );
}
