import "server-only";
import { createTwoFilesPatch } from "diff";
import type { PlannedAction } from "@/lib/contracts/catalog";
import { command as shellCommand } from "../ssh/quote";
import { rootScript, seedLines, typedScript, type SeedContext } from "./seed-commands";
import type { Action, FileState } from "./types";

/** What the runner executes for one action: one shell line, run as root, with optional stdin. */
export interface ExecSpec {
  command: string;
  stdin?: string;
  timeoutMs: number;
}

export const DEFAULT_ACTION_TIMEOUT_MS = 120_000;

const octal = (mode: number) => mode.toString(8);

export function fileDiff(p: string, before: FileState, content: string): string {
  const old = before.kind === "file" ? before.content : "";
  return createTwoFilesPatch(before.kind === "file" ? p : "/dev/null", p, old, content, undefined, undefined, { context: 3 });
}

export function execSpec(action: Action): ExecSpec {
  switch (action.kind) {
    case "write-file":
      // The plan's own lines, chained: the content is in the command as a here-document, so the log
      // and the audit show what the plan showed (issue 13), and nothing goes on stdin.
      return { command: rootScript(seedLines(action)), timeoutMs: 30_000 };
    case "run-command":
      return { command: shellCommand(action.argv), timeoutMs: action.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS };
    case "enable-unit":
      return { command: rootScript(seedLines(action)), timeoutMs: DEFAULT_ACTION_TIMEOUT_MS };
    case "upload-artifact":
      // Not a single command: the runner hands it to applyArtifactAction (stage, sha256 on the host, install).
      throw new Error("upload-artifact runs through server/artifacts, not as one command");
  }
}

/**
 * The plan as shown: the command as the log shows it (root's), the seed-style script a person copies
 * (server/catalog/seed-commands.ts), and for files the diff.
 */
export function renderAction(action: Action, files: Record<string, FileState>, ctx: SeedContext = {}): PlannedAction {
  const lines = seedLines(action, ctx);
  const shown = { reason: action.reason, command: rootScript(lines), script: typedScript(lines) };
  switch (action.kind) {
    case "write-file": {
      const before = files[action.path] ?? { kind: "absent" };
      return {
        kind: "write-file",
        ...shown,
        path: action.path,
        mode: octal(action.mode),
        content: action.content,
        previous:
          before.kind === "file"
            ? { exists: true, mode: before.mode, content: before.content }
            : { exists: before.kind === "other", mode: null, content: null },
        diff: fileDiff(action.path, before, action.content),
      };
    }
    case "run-command":
      return { kind: "run-command", ...shown, argv: action.argv };
    case "enable-unit":
      return { kind: "enable-unit", ...shown, unit: action.unit, now: action.now };
    case "upload-artifact":
      return { kind: "upload-artifact", ...shown, artifactId: action.artifactId, sha256: action.sha256, dest: action.dest };
  }
}

/** A write-file that would change nothing is not an action: same content and same mode. */
export function fileIsRight(state: FileState | undefined, content: string, mode: number): boolean {
  return state?.kind === "file" && state.content === content && parseInt(state.mode, 8) === mode;
}

/**
 * The write-file action a step needs for a file it owns, or null when the file is already right.
 * The reason says what is wrong with what the host has now; `missing` says why an absent file matters.
 */
export function writeFileIfNeeded(
  state: FileState | undefined,
  file: { path: string; mode: number; content: string; missing: string },
): Extract<Action, { kind: "write-file" }> | null {
  if (fileIsRight(state, file.content, file.mode)) return null;
  const reason =
    state?.kind === "file"
      ? state.content === file.content
        ? `the file has mode ${state.mode}, not ${file.mode.toString(8)}`
        : "the file exists with other content"
      : state?.kind === "other"
        ? `the path is not a regular file: ${state.detail}`
        : file.missing;
  return { kind: "write-file", path: file.path, mode: file.mode, content: file.content, reason };
}
