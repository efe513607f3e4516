import focusData from "@/content/output-focus.json";
import type { ProbeResult, RawOutput } from "./contracts/catalog";

// A probe's raw output as a person reads it (issue 13): the command they would type and the host's own
// words first; nodeprep's helpers (lookup loops, timestamps) and exit codes under "how nodeprep checked";
// a long output focused on the lines that decide the verdict (content/output-focus.json).

/**
 * nodeprep's reading shell names itself in the errors it prints for a command ("nodeprep: 9: eval:
 * /usr/local/bin/containerd: not found"): that prefix is the tool's, the rest is the host's.
 */
const SCAFFOLD = /^nodeprep(?:-sudo)?: \d+: (?:eval: )?/gm;

export function hostOutput(text: string): string {
  return text.replace(SCAFFOLD, "");
}

/** The command as shown first: what a person types. */
export const shownCommand = (r: RawOutput) => r.shown ?? r.command;

/** The commands a card shows first, and the helpers it keeps under "how nodeprep checked". */
export function splitRaw(raw: RawOutput[]): { shown: RawOutput[]; helpers: RawOutput[] } {
  return { shown: raw.filter((r) => !r.helper), helpers: raw.filter((r) => r.helper) };
}

/** Whether "how nodeprep checked" has anything the first view does not (a helper, a wrapped command, an exit code). */
export function hasHowChecked(result: Pick<ProbeResult, "raw">): boolean {
  return result.raw.some((r) => r.helper || r.shown !== undefined || (r.exitCode ?? 0) !== 0 || hostOutput(r.output) !== r.output);
}

/** The exit code line a terminal does not print: worth showing first only when the verdict is not ok. */
export function showsExitCode(status: ProbeResult["status"], r: RawOutput): boolean {
  return status !== "ok" && (r.exitCode ?? 0) !== 0;
}

export interface FocusLine {
  /** 1-based line number in the whole output. */
  n: number;
  text: string;
  /** It decides the verdict. */
  decides: boolean;
  /** One line of explanation (a confusing line), or null. */
  note: string | null;
}

export interface FocusBlock {
  /** The TOML table the block's first line is in ("plugins.\"io.containerd.grpc.v1.cri\""), or null. */
  table: string | null;
  lines: FocusLine[];
}

interface FocusSpec {
  command: string;
  decides: string[];
  notes: { line: string; table?: string; text: string }[];
}

const SPECS: FocusSpec[] = (focusData as { outputs: FocusSpec[] }).outputs;

/** Outputs shorter than this are shown whole. */
export const FOCUS_MIN_LINES = 25;

const TABLE = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*$/;

/**
 * The lines of a long output that decide the verdict and those that need a word, with `context` lines
 * around them and the TOML table each block is in; null when the output is short or has no such line
 * (then it is shown whole).
 */
export function focusOutput(r: RawOutput, context = 2): FocusBlock[] | null {
  const spec = SPECS.find((s) => s.command === shownCommand(r));
  if (!spec) return null;
  const lines = hostOutput(r.output).replace(/\n$/, "").split("\n");
  if (lines.length < FOCUS_MIN_LINES) return null;
  const decides = spec.decides.map((p) => new RegExp(p));
  const notes = spec.notes.map((n) => ({ line: new RegExp(n.line), table: n.table ? new RegExp(n.table) : null, text: n.text }));
  let table: string | null = null;
  const tables: (string | null)[] = [];
  const marked: FocusLine[] = [];
  lines.forEach((text, i) => {
    const header = TABLE.exec(text);
    if (header) table = header[1];
    tables.push(table);
    const note = notes.find((n) => n.line.test(text) && (!n.table || (table !== null && n.table.test(table))))?.text ?? null;
    marked.push({ n: i + 1, text, decides: decides.some((d) => d.test(text)), note });
  });
  const picked = marked.filter((l) => l.decides || l.note).map((l) => l.n - 1);
  if (picked.length === 0) return null;
  // Each block is named by the table of its first deciding (or explained) line, not of its context.
  const ranges: { from: number; to: number; at: number }[] = [];
  for (const i of picked) {
    const from = Math.max(0, i - context);
    const to = Math.min(lines.length - 1, i + context);
    const last = ranges.at(-1);
    if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
    else ranges.push({ from, to, at: i });
  }
  const blocks = ranges.map(({ from, to, at }): FocusBlock => ({ table: tables[at], lines: marked.slice(from, to + 1) }));
  return blocks;
}
