import "server-only";
import path from "node:path";
import { commandEnded, commandStarted, recordAudit, storeScript } from "../audit/record";
import type { Db } from "../db";
import { redact } from "../ssh/redact";
import { SshError, type ExecOptions, type ExecResult, type InteractiveShell, type KillRecord, type PtySize, type RemoteHost, type UploadOptions } from "../ssh/types";

// The ONE path to a host (design.md convention 11). Everything that runs something on a host (facts,
// probes, steps, scans, staging and uploads, the connection test, and later terminals, scenario faults
// and fleet runs) gets a TrackedHost, and only server/hosts may turn a node into a raw connection
// (server/hosts/boundary.test.ts). Per command it:
//   - writes the audit row: who, node, run or scan, step, the command as run (a generated script is
//     stored once by its sha256 and the row shows its label), exit code, duration, output bytes;
//   - records a refused connection (host key, auth, timeout, ...) as `connection-failed` with the
//     reason, a kill that stopped a cancelled or timed-out command, and every SFTP upload;
//   - emits the run log's command-started / output / command-finished events (unless quiet);
//   - redacts the target's secrets from everything it stores or emits.

/** A run's log for the commands of one node (the engine numbers them and adds phase and step). */
export interface CommandEvents {
  nextId(): number;
  started(e: { commandId: number; command: string }): void;
  output(e: { commandId: number; stream: "stdout" | "stderr"; line: string }): void;
  finished(e: { commandId: number; exitCode: number | null; durationMs: number }): void;
}

/** Who runs what, for which piece of work: fixed for one TrackedHost. */
export interface HostWork {
  /** The signed-in user, or "system" (start-up chores, scheduled scans). */
  actor: string;
  runId?: string | null;
  scanId?: string | null;
  /** The step the work is on now (a run goes from step to step on one host). */
  stepId?: () => string | null;
  /** The run's log; without it nothing is streamed (scans, the connection test). */
  events?: CommandEvents;
}

export interface HostContext extends HostWork {
  db: Db;
  node: { id: string; name: string };
  /** The target's secrets: redacted from every row and event. */
  secrets: readonly string[];
  /** The jump host this node is reached through, named in every row. */
  via?: { id: string; name: string } | null;
}

export interface RunningCommand {
  commandId: number;
  command: string;
  startedAt: string;
}

export interface TrackedHost extends RemoteHost {
  connect(signal?: AbortSignal): Promise<void>;
  /** The commands running now (what a cancel stops, named in its audit row). */
  running(): RunningCommand[];
  /** The same host, audited the same, but nothing in the run's log (sub-commands of one planned action). */
  quietly(): TrackedHost;
  /** Text with this host's secrets redacted (for what the caller stores or shows itself: plans, messages). */
  redact(text: string): string;
  /**
   * A terminal: an interactive login shell with a pty. Audited as `terminal-start` when it opens and
   * `terminal-end` when it closes (who, node, duration, bytes each way, why it ended); while open it is
   * a command in flight, so a dashboard stop leaves a row too.
   */
  shell(pty: PtySize, options?: { signal?: AbortSignal; terminalId?: string }): Promise<TrackedShell>;
}

export interface TrackedShell extends InteractiveShell {
  /** Close with a reason for the audit row ("idle 15 min", "page closed"). */
  close(reason?: string): void;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

const outputBytes = (r: ExecResult) => Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr);

/** An SshError that says the connection itself was refused or failed: nothing ran on the host. */
export function isConnectionRefusal(error: unknown): error is SshError {
  return error instanceof SshError && error.details.stage === "connect";
}

export function trackHost(raw: RemoteHost, ctx: HostContext): TrackedHost {
  const running = new Map<number, RunningCommand>();
  let localIds = 0;
  const clean = (text: string) => redact(text, ctx.secrets);
  const base = () => ({
    actor: ctx.actor,
    nodeId: ctx.node.id,
    runId: ctx.runId ?? null,
    scanId: ctx.scanId ?? null,
    stepId: ctx.stepId?.() ?? null,
  });
  const via = ctx.via ? { via: ctx.via.name } : {};

  function refused(error: SshError, attempted: string | null, durationMs: number) {
    recordAudit(ctx.db, {
      ...base(),
      action: "connection-failed",
      command: attempted,
      durationMs,
      detail: { reason: error.kind, message: clean(error.message), ...via },
    });
  }

  function recordKill(kill: KillRecord, of: number) {
    recordAudit(ctx.db, {
      ...base(),
      action: "command",
      command: clean(kill.command),
      exitCode: kill.code,
      durationMs: kill.durationMs,
      detail: { asRoot: kill.asRoot, purpose: "stop a cancelled or timed-out command (its process group)", stops: of, ...via },
    });
  }

  // The node as the inventory knows it (a fake host in a test may name itself otherwise).
  const target = { ...raw.target, nodeId: ctx.node.id, name: ctx.node.name };

  function make(events: CommandEvents | undefined): TrackedHost {
    return {
      target,

      async connect(signal?: AbortSignal) {
        const started = Date.now();
        try {
          await raw.connect?.(signal);
        } catch (error) {
          if (isConnectionRefusal(error)) refused(error, null, Date.now() - started);
          throw error;
        }
      },

      async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
        const note = options.audit ?? {};
        const text = clean(command);
        const shown = note.script ?? text;
        // A generated script is stored once; a per-run line before its body stays with the row, so the
        // row still says exactly what ran (preamble + stored text).
        const body = note.script && note.body !== undefined && text.endsWith(clean(note.body)) ? clean(note.body) : text;
        const preamble = note.script ? text.slice(0, text.length - body.length) : "";
        const scriptHash = note.script ? storeScript(ctx.db, body) : null;
        const visible = !!events && !note.quiet;
        const commandId = visible ? events.nextId() : --localIds; // negative: never shown, only tracked
        const started = Date.now();
        running.set(commandId, { commandId, command: shown, startedAt: new Date(started).toISOString() });
        if (visible) events.started({ commandId, command: shown });
        const line = (stream: "stdout" | "stderr", forward?: (l: string) => void) => (l: string) => {
          const cleaned = clean(l);
          if (visible) events.output({ commandId, stream, line: cleaned });
          forward?.(cleaned);
        };
        const detail = {
          ...(options.asRoot ? { asRoot: true } : {}),
          ...(options.keepShell ? { keptShell: true } : {}),
          ...(note.probes ? { probes: [...note.probes] } : {}),
          ...(note.purpose ? { purpose: note.purpose } : {}),
          ...(preamble ? { preamble } : {}),
          ...via,
        };
        const row = { ...base(), action: "command", command: shown, scriptHash };
        const inFlight = commandStarted(ctx.db, { ...row, detail });
        try {
          const result = await raw.exec(command, {
            ...options,
            onStdout: visible || options.onStdout ? line("stdout", options.onStdout) : undefined,
            onStderr: visible || options.onStderr ? line("stderr", options.onStderr) : undefined,
            onKill: (kill) => {
              recordKill(kill, commandId);
              options.onKill?.(kill);
            },
          });
          const durationMs = Date.now() - started;
          recordAudit(ctx.db, {
            ...row,
            exitCode: result.code,
            durationMs,
            outputBytes: outputBytes(result),
            detail: { ...detail, ...(result.signal ? { signal: result.signal } : {}) },
          });
          if (visible) events.finished({ commandId, exitCode: result.code, durationMs });
          return result;
        } catch (error) {
          const durationMs = Date.now() - started;
          if (isConnectionRefusal(error)) refused(error, shown, durationMs);
          else {
            const why = error instanceof SshError ? { kind: error.kind, message: clean(error.message) } : { kind: "error", message: clean(String((error as Error)?.message ?? error)) };
            recordAudit(ctx.db, { ...row, exitCode: null, durationMs, detail: { ...detail, error: why } });
          }
          if (visible) events.finished({ commandId, exitCode: null, durationMs });
          throw error;
        } finally {
          running.delete(commandId);
          commandEnded(ctx.db, inFlight);
        }
      },

      async upload(source: string | Buffer, remotePath: string, options: UploadOptions = {}): Promise<void> {
        const what = typeof source === "string" ? path.basename(source) : `${source.length} bytes`;
        const shown = clean(`sftp put ${what} ${remotePath}`);
        const commandId = --localIds;
        const started = Date.now();
        let sent = 0;
        running.set(commandId, { commandId, command: shown, startedAt: new Date(started).toISOString() });
        const row = { ...base(), action: "upload", command: shown };
        const inFlight = commandStarted(ctx.db, { ...row, detail: { ...via } });
        try {
          await raw.upload(source, remotePath, {
            ...options,
            onProgress: (n, total) => {
              sent = n;
              options.onProgress?.(n, total);
            },
          });
          recordAudit(ctx.db, { ...row, exitCode: 0, durationMs: Date.now() - started, outputBytes: sent, detail: { mode: options.mode?.toString(8) ?? null, ...via } });
        } catch (error) {
          const durationMs = Date.now() - started;
          if (isConnectionRefusal(error)) refused(error, shown, durationMs);
          else recordAudit(ctx.db, { ...row, exitCode: null, durationMs, outputBytes: sent, detail: { error: clean((error as Error).message), ...via } });
          throw error;
        } finally {
          running.delete(commandId);
          commandEnded(ctx.db, inFlight);
        }
      },

      async shell(pty: PtySize, options: { signal?: AbortSignal; terminalId?: string } = {}): Promise<TrackedShell> {
        if (!raw.shell) throw new Error(`${ctx.node.name}: this host offers no terminal`);
        const started = Date.now();
        const shown = `interactive shell (pty ${pty.cols}x${pty.rows})`;
        const detail = { ...(options.terminalId ? { terminalId: options.terminalId } : {}), ...via };
        let inner: InteractiveShell;
        try {
          inner = await raw.shell(pty, { signal: options.signal });
        } catch (error) {
          if (isConnectionRefusal(error)) refused(error, shown, Date.now() - started);
          else recordAudit(ctx.db, { ...base(), action: "terminal-start", command: shown, exitCode: null, durationMs: Date.now() - started, detail: { ...detail, error: clean(String((error as Error)?.message ?? error)) } });
          throw error;
        }
        recordAudit(ctx.db, { ...base(), action: "terminal-start", command: shown, detail });
        const inFlight = commandStarted(ctx.db, { ...base(), action: "terminal-end", command: shown, detail });
        let bytesIn = 0;
        let bytesOut = 0;
        let reason = "the shell exited";
        inner.onData((chunk) => (bytesOut += chunk.length));
        inner.onClose(() => {
          commandEnded(ctx.db, inFlight);
          recordAudit(ctx.db, { ...base(), action: "terminal-end", command: shown, durationMs: Date.now() - started, outputBytes: bytesOut, detail: { ...detail, inputBytes: bytesIn, reason } });
        });
        return {
          write(data) {
            bytesIn += typeof data === "string" ? Buffer.byteLength(data) : data.length;
            inner.write(data);
          },
          resize: (size) => inner.resize(size),
          onData: (l) => inner.onData(l),
          onClose: (l) => inner.onClose(l),
          close(why?: string) {
            if (why) reason = why;
            inner.close();
          },
          get bytesIn() {
            return bytesIn;
          },
          get bytesOut() {
            return bytesOut;
          },
        };
      },

      running: () => [...running.values()],
      quietly: () => make(undefined),
      redact: clean,
    };
  }

  return make(ctx.events);
}
