import "server-only";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import type { PlannedAction } from "@/lib/contracts/catalog";
import { command as shellCommand, quote } from "../ssh/quote";
import type { Action, FileState } from "./types";

/** What the runner executes for one action: one shell line, run as root, with optional stdin. */
export interface ExecSpec {
  command: string;
  stdin?: string;
  timeoutMs: number;
}

export const DEFAULT_ACTION_TIMEOUT_MS = 120_000;

const octal = (mode: number) => mode.toString(8);

function assertAbsolute(p: string) {
  if (!path.posix.isAbsolute(p) || path.posix.normalize(p) !== p) throw new Error(`not a normalised absolute path: ${p}`);
}

/**
 * Written next to the target and renamed over it, so a reader (systemd-sysctl at boot, say) never
 * sees half a file. The dot-name ends in .nodeprep, which *.conf readers ignore.
 */
function writeFileCommand(p: string, mode: number): string {
  assertAbsolute(p);
  const dir = path.posix.dirname(p);
  const tmp = path.posix.join(dir, `.${path.posix.basename(p)}.nodeprep`);
  return [
    shellCommand(["mkdir", "-p", dir]),
    `cat > ${quote(tmp)}`,
    shellCommand(["chmod", octal(mode), tmp]),
    shellCommand(["mv", "-f", tmp, p]),
  ].join(" && ");
}

function copyableWrite(p: string, mode: number, content: string): string {
  const dir = path.posix.dirname(p);
  const useHeredoc = content.endsWith("\n") && !content.split("\n").includes("EOF");
  const write = useHeredoc
    ? `cat <<'EOF' | sudo tee ${quote(p)} > /dev/null\n${content}EOF`
    : `printf '%s' ${quote(content)} | sudo tee ${quote(p)} > /dev/null`;
  return [`sudo mkdir -p ${quote(dir)}`, write, `sudo chmod ${octal(mode)} ${quote(p)}`].join("\n");
}

export function fileDiff(p: string, before: FileState, content: string): string {
  const old = before.kind === "file" ? before.content : "";
  return createTwoFilesPatch(before.kind === "file" ? p : "/dev/null", p, old, content, undefined, undefined, { context: 3 });
}

export function execSpec(action: Action): ExecSpec {
  switch (action.kind) {
    case "write-file":
      return { command: writeFileCommand(action.path, action.mode), stdin: action.content, timeoutMs: 30_000 };
    case "run-command":
      return { command: shellCommand(action.argv), timeoutMs: action.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS };
    case "enable-unit":
      return {
        command: shellCommand(["systemctl", "enable", ...(action.now ? ["--now"] : []), action.unit]),
        timeoutMs: DEFAULT_ACTION_TIMEOUT_MS,
      };
    case "upload-artifact":
      // Not a single command: the runner hands it to applyArtifactAction (stage, sha256 on the host, install).
      throw new Error("upload-artifact runs through server/artifacts, not as one command");
  }
}

/** The plan as shown: the exact command, a copyable script, and for files the diff. */
export function renderAction(action: Action, files: Record<string, FileState>): PlannedAction {
  switch (action.kind) {
    case "write-file": {
      const before = files[action.path] ?? { kind: "absent" };
      return {
        kind: "write-file",
        reason: action.reason,
        command: writeFileCommand(action.path, action.mode),
        script: copyableWrite(action.path, action.mode, action.content),
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
    case "run-command": {
      const command = shellCommand(action.argv);
      return { kind: "run-command", reason: action.reason, command, script: `sudo ${command}`, argv: action.argv };
    }
    case "enable-unit": {
      const { command } = execSpec(action);
      return { kind: "enable-unit", reason: action.reason, command, script: `sudo ${command}`, unit: action.unit, now: action.now };
    }
    case "upload-artifact": {
      const where = action.dest.kind === "extract" ? `extract into ${action.dest.dir}` : `install as ${action.dest.path} (mode ${action.dest.mode})`;
      const sum = action.sha256 ? `sha256 ${action.sha256}` : "sha256 from the project's checksum file";
      return {
        kind: "upload-artifact",
        reason: action.reason,
        command: `${action.artifactId}: stage, check ${sum} on the host, ${where}`,
        script: `# ${action.artifactId}: download, check ${sum}, then ${where}`,
        artifactId: action.artifactId,
        sha256: action.sha256,
        dest: action.dest,
      };
    }
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
