import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { SelfCheckProgress, SelfCheckResult, SelfCheckView } from "@/lib/contracts/training";
import { steps } from "../catalog";
import type { Db } from "../db";
import { badRequest, notFound } from "../errors";

// Self-checks: 2-4 short questions at the end of chapter 0 and of every wizard step, as
// data beside the Markdown they test (content/<id>.selfcheck.json). Every choice carries its own
// explanation, shown after answering; the server judges the answers and keeps them in the trainee's
// progress. The browser never gets which choice is right before it answers.

const Choice = z.object({ text: z.string().min(1).max(400), correct: z.boolean().default(false), why: z.string().min(1).max(1200) }).strict();
const Question = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,32}$/, "question ids are kebab-case"),
    text: z.string().min(1).max(600),
    choices: z.array(Choice).min(2).max(6),
  })
  .strict()
  .refine((q) => q.choices.filter((c) => c.correct).length === 1, "exactly one choice is correct");
const SelfCheckFile = z
  .object({ questions: z.array(Question).min(2).max(4) })
  .strict()
  .refine((f) => new Set(f.questions.map((q) => q.id)).size === f.questions.length, "question ids are unique");
type SelfCheckFile = z.infer<typeof SelfCheckFile>;

/** Chapters before the steps (their Markdown is content/<id>.md, like a step's). */
export const CHAPTERS = [
  {
    id: "choosing-a-runtime",
    title: "Chapter 0: choosing a container runtime",
    shortTitle: "Choosing a container runtime",
    summary: "read first: the CRI, runtimes, cgroups and drivers, swap, ctr and crictl, what comes next",
  },
] as const;

/** Every self-check, in reading order: the chapters, then the wizard's steps. */
export function selfCheckIds(): { id: string; title: string }[] {
  return [...CHAPTERS.map((c) => ({ id: c.id, title: c.title })), ...steps.map((s, i) => ({ id: s.id, title: `Step ${i + 1}: ${s.title}` }))];
}

const fileOf = (id: string) => path.join(process.cwd(), "content", `${id}.selfcheck.json`);

export function loadSelfCheck(id: string): SelfCheckFile {
  const file = fileOf(id);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`content/${id}.selfcheck.json: ${(error as Error).message}`);
  }
  const parsed = SelfCheckFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`content/${id}.selfcheck.json: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

function requireKnown(id: string): { id: string; title: string } {
  const known = selfCheckIds().find((c) => c.id === id);
  if (!known) throw notFound(`self-check ${id}`);
  return known;
}

function judge(id: string, file: SelfCheckFile, answers: Record<string, number>, answeredAt: string): SelfCheckResult {
  const outcomes = file.questions.map((q) => {
    const chosen = answers[q.id];
    const correctChoice = q.choices.findIndex((c) => c.correct);
    return {
      questionId: q.id,
      chosen,
      correctChoice,
      correct: chosen === correctChoice,
      explanation: q.choices[chosen]?.why ?? "",
      correctExplanation: q.choices[correctChoice].why,
    };
  });
  return { checkId: id, correct: outcomes.filter((o) => o.correct).length, total: outcomes.length, answeredAt, outcomes };
}

interface AnswerRow {
  check_id: string;
  user_id: string;
  answered_at: string;
  correct: number;
  total: number;
  answers: string;
}

const Answers = z.record(z.string(), z.number().int());

export function selfCheckView(db: Db, userId: string, id: string): SelfCheckView {
  const known = requireKnown(id);
  const file = loadSelfCheck(id);
  const last = db
    .prepare("SELECT * FROM self_check_answers WHERE user_id = ? AND check_id = ? ORDER BY answered_at DESC, id DESC LIMIT 1")
    .get(userId, id) as AnswerRow | undefined;
  return {
    id,
    title: known.title,
    questions: file.questions.map((q) => ({ id: q.id, text: q.text, choices: q.choices.map((c) => c.text) })),
    last: last ? judge(id, file, Answers.parse(JSON.parse(last.answers)), last.answered_at) : null,
  };
}

/** Judge and keep one submission; every question must be answered with one of its choices. */
export function answerSelfCheck(db: Db, userId: string, id: string, answers: Record<string, number>, at = new Date()): SelfCheckResult {
  requireKnown(id);
  const file = loadSelfCheck(id);
  // An id that is no question first: a typo is named as such, not as a missing answer.
  const unknown = Object.keys(answers).find((k) => !file.questions.some((q) => q.id === k));
  if (unknown) throw badRequest(`answers.${unknown}: no such question`, `answers.${unknown}`);
  for (const q of file.questions) {
    const a = answers[q.id];
    if (a === undefined) throw badRequest(`answers.${q.id}: answer every question`, `answers.${q.id}`);
    if (a >= q.choices.length) throw badRequest(`answers.${q.id}: there are only ${q.choices.length} choices`, `answers.${q.id}`);
  }
  const result = judge(id, file, answers, at.toISOString());
  db.prepare("INSERT INTO self_check_answers (user_id, check_id, answered_at, correct, total, answers) VALUES (?, ?, ?, ?, ?, ?)").run(
    userId,
    id,
    result.answeredAt,
    result.correct,
    result.total,
    JSON.stringify(answers),
  );
  return result;
}

/** Each user's latest submission per self-check, with how many times they answered it. */
export function selfCheckProgress(db: Db, userIds: readonly string[]): Map<string, Map<string, SelfCheckProgress>> {
  const rows = db
    .prepare(
      `SELECT user_id, check_id, answered_at, correct, total, (SELECT count(*) FROM self_check_answers b WHERE b.user_id = a.user_id AND b.check_id = a.check_id) AS submissions
       FROM self_check_answers a WHERE user_id IN (SELECT value FROM json_each(?))
       AND id = (SELECT id FROM self_check_answers c WHERE c.user_id = a.user_id AND c.check_id = a.check_id ORDER BY answered_at DESC, id DESC LIMIT 1)`,
    )
    .all(JSON.stringify(userIds)) as (Omit<AnswerRow, "answers"> & { submissions: number })[];
  const out = new Map<string, Map<string, SelfCheckProgress>>();
  for (const r of rows) {
    const mine = out.get(r.user_id) ?? new Map<string, SelfCheckProgress>();
    mine.set(r.check_id, { correct: r.correct, total: r.total, answeredAt: r.answered_at, submissions: r.submissions });
    out.set(r.user_id, mine);
  }
  return out;
}
