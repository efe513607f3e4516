import "server-only";
import path from "node:path";
import type { Delivery } from "@/lib/contracts/artifacts";
import { downloadUrl, installCommand, resolveAction, STAGING_PARENT, STANDARD_DIRS } from "../artifacts";
import { command as shellCommand, quote } from "../ssh/quote";
import type { Action } from "./types";

// An action as the commands a person types, in the seed's style (the Kubernetes and containerd
// getting-started pages): `sudo tee FILE <<'EOF'`, `curl -fsSLo`, `sha256sum -c`, `tar Cxzvf`,
// `install -m 755`. One rendering for every place that shows commands: the plan's "Copy" text, the
// command the run log shows (and the engine runs, for files and commands), and the "Do it yourself"
// mode. Values are quoted by the one helper (server/ssh/quote).

/** One line of a seed: a command, or a line of explanation shown as a `#` comment. */
export type SeedLine =
  | { kind: "note"; text: string }
  | {
      kind: "command";
      /** The command without sudo, its values quoted. */
      text: string;
      /** Needs root: a person types `sudo` in front; nodeprep runs it through the node's privilege. */
      root: boolean;
      /** What it reads on stdin: a here-document when it ends in a newline, else a `printf '%s'` pipe. */
      input?: string;
    };

export interface SeedContext {
  /** How release files reach the host (the run's delivery; the dashboard's cache by default). */
  delivery?: Delivery;
}

const run = (text: string, root = true): SeedLine => ({ kind: "command", text, root });
const note = (text: string): SeedLine => ({ kind: "note", text });

/** Where a file is written before it is renamed over the target: the same directory, a dot-name that *.conf readers ignore. */
export function stagingPathFor(p: string): string {
  return path.posix.join(path.posix.dirname(p), `.${path.posix.basename(p)}.nodeprep`);
}

function assertAbsolute(p: string) {
  if (!path.posix.isAbsolute(p) || path.posix.normalize(p) !== p) throw new Error(`not a normalised absolute path: ${p}`);
}

/**
 * A file written next to the target and renamed over it, so a reader (systemd-sysctl at boot, say)
 * never sees half a file.
 */
function writeFileLines(p: string, mode: number, content: string): SeedLine[] {
  assertAbsolute(p);
  const tmp = stagingPathFor(p);
  return [
    run(shellCommand(["mkdir", "-p", path.posix.dirname(p)])),
    { kind: "command", text: `tee ${quote(tmp)} > /dev/null`, root: true, input: content },
    run(shellCommand(["chmod", mode.toString(8), tmp])),
    run(shellCommand(["mv", "-f", tmp, p])),
  ];
}

function artifactLines(action: Extract<Action, { kind: "upload-artifact" }>, delivery: Delivery): SeedLine[] {
  let a: ReturnType<typeof resolveAction>;
  try {
    a = resolveAction(action);
  } catch (error) {
    // A plan names only artifacts it resolved; one the release list no longer has fails at apply, with this reason.
    return [note(`${action.artifactId}: ${(error as Error).message}`)];
  }
  const staged = `${STAGING_PARENT}/${a.file}`;
  const lines: SeedLine[] = [];
  if (delivery.kind === "cache") {
    lines.push(note(`${a.file} (${a.component} ${a.version}): uploaded from the dashboard's cache over SFTP to ${staged} (nodeprep: into a fresh mktemp -d directory there; by hand: scp it there)`));
  } else {
    let url: string;
    try {
      url = downloadUrl(a, delivery);
    } catch (error) {
      // A local build has no upstream URL: Apply refuses with this reason, the plan says it first.
      return [note(`${a.file}: ${(error as Error).message}`)];
    }
    lines.push(run(`curl -fsSLo ${quote(staged)} ${quote(url)}`, false));
  }
  if (action.sha256) {
    lines.push(run(`echo ${quote(`${action.sha256}  ${staged}`)} | sha256sum -c`, false));
  } else if (a.sumsUrl) {
    // The project's checksum file names the file without a directory: check it from where the file is.
    const sums = `${STAGING_PARENT}/${a.sumsUrl.split("/").pop()}`;
    lines.push(run(`curl -fsSLo ${quote(sums)} ${quote(a.sumsUrl)}`, false));
    lines.push(run(`(cd ${quote(STAGING_PARENT)} && sha256sum -c --ignore-missing ${quote(path.posix.basename(sums))})`, false));
  }
  const dest = action.dest;
  const dir = dest.kind === "extract" ? dest.dir : null;
  if (dir && !STANDARD_DIRS.has(dir)) lines.push(run(shellCommand(["mkdir", "-p", dir])));
  lines.push(run(installCommand(dest, staged)));
  lines.push(run(shellCommand(["rm", "-f", staged]), false));
  return lines;
}

/** The seed-style lines of one planned action. */
export function seedLines(action: Action, ctx: SeedContext = {}): SeedLine[] {
  switch (action.kind) {
    case "write-file":
      return writeFileLines(action.path, action.mode, action.content);
    case "run-command":
      return [run(shellCommand(action.argv))];
    case "enable-unit":
      return [run(shellCommand(["systemctl", "enable", ...(action.now ? ["--now"] : []), action.unit]))];
    case "upload-artifact":
      return artifactLines(action, ctx.delivery ?? { kind: "cache" });
  }
}

/** A delimiter that is not a line of the text (`EOF`, else `EOF1`, ...), or null: the text cannot be a here-document. */
function heredocDelimiter(input: string): string | null {
  if (!input.endsWith("\n")) return null;
  const lines = new Set(input.split("\n"));
  for (let i = 0; i < 100; i++) {
    const d = i === 0 ? "EOF" : `EOF${i}`;
    if (!lines.has(d)) return d;
  }
  return null;
}

function withInput(head: string, input: string | undefined, after = ""): string {
  if (input === undefined) return `${head}${after}`;
  const d = heredocDelimiter(input);
  // The here-document's body starts on the line after the command, whatever follows it (`&&`).
  return d ? `${head} <<'${d}'${after}\n${input}${d}` : `printf '%s' ${quote(input)} | ${head}${after}`;
}

/** What a person types: `sudo` where root is needed, notes as comments. Runs as is in `bash -e`. */
export function typedScript(lines: SeedLine[]): string {
  return lines
    .map((l) => (l.kind === "note" ? l.text.split("\n").map((t) => `# ${t}`).join("\n") : withInput(`${l.root ? "sudo " : ""}${l.text}`, l.input)))
    .join("\n");
}

/**
 * The same commands as root runs them, chained with `&&` so the first failure stops the rest: what the
 * engine runs for a file or a command, and what the run log shows (notes stay as comments).
 */
export function rootScript(lines: SeedLine[]): string {
  const commands = lines.filter((l) => l.kind === "command");
  let n = 0;
  return lines
    .map((l) => {
      if (l.kind === "note") return l.text.split("\n").map((t) => `# ${t}`).join("\n");
      n += 1;
      return withInput(l.text, l.input, n < commands.length ? " &&" : "");
    })
    .join("\n");
}
