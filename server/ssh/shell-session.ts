import "server-only";
import { randomBytes } from "node:crypto";
import { StringDecoder } from "node:string_decoder";
import type { Client, ClientChannel } from "ssh2";
import { errors, sudoFailure, type Where } from "./errors";
import { LineSplitter, Retained } from "./output";
import { quote } from "./quote";
import type { ExecOptions, ExecResult, NodeTarget, SshError } from "./types";
import { wrapCommand } from "./wrap";

/**
 * A long-lived /bin/sh on the host, fed commands on its stdin: what Ansible's pipelining and Mitogen
 * do. A command then costs no channel, no sshd session, no login shell and, as root, no sudo: on a slow
 * host that is most of a short command's time (bench/facts, bench/health). One command at a time.
 *
 * Each command runs in a subshell with stdin from /dev/null, so `exit`, `cd` or a variable stays inside
 * it and nothing it starts can read the commands that follow. After it, the shell prints an end token
 * (random per command) with the exit code on stdout and the token alone on stderr: the command's
 * output is everything before them.
 */
export class ShellSession {
  private busy = false;
  private ended = false;
  private endListeners: (() => void)[] = [];
  private onStdoutChunk: ((text: string) => void) | null = null;
  private onStderrChunk: ((text: string) => void) | null = null;
  private onChannelEnd: ((error: SshError) => void) | null = null;

  private constructor(
    private readonly channel: ClientChannel,
    /** The shell's process group on the host (the kill target of a stopped command), when known. */
    readonly pgid: number | null,
    private readonly where: Where,
    private readonly redact: (text: string) => string,
    private readonly maxRetainedBytes: number,
    private readonly connectionClosed: () => boolean,
  ) {
    const outDecoder = new StringDecoder("utf8");
    const errDecoder = new StringDecoder("utf8");
    channel.on("data", (chunk: Buffer) => this.onStdoutChunk?.(outDecoder.write(chunk)));
    channel.stderr.on("data", (chunk: Buffer) => this.onStderrChunk?.(errDecoder.write(chunk)));
    channel.on("close", () => this.end());
  }

  /**
   * Start the shell through the same wrapper as a single command (so sudo's failures read the same),
   * the command being `exec /bin/sh -s`: the shell then reads its commands from the channel.
   */
  static start(
    client: Client,
    target: Pick<NodeTarget, "privilege" | "username" | "address" | "port">,
    asRoot: boolean,
    ctx: { where: Where; redact: (text: string) => string; maxRetainedBytes: number; timeoutMs: number; connectionClosed: () => boolean },
  ): Promise<ShellSession> {
    const { line, marker, sudo } = wrapCommand(target, "exec /bin/sh -s", asRoot);
    const { where } = ctx;
    return new Promise((resolve, reject) => {
      let settled = false;
      let opened: ClientChannel | null = null;
      const timer = setTimeout(() => fail(errors.commandTimeout(where, ctx.timeoutMs)), ctx.timeoutMs);
      const fail = (error: SshError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opened?.close();
        reject(error);
      };
      client.exec(line, (error, channel) => {
        if (error) {
          return fail(ctx.connectionClosed() ? errors.connectionLost(where, "before the shell started", error) : errors.protocol(where, `could not open a channel: ${error.message}`, error));
        }
        if (settled) return channel.close();
        opened = channel;
        let preamble = "";
        const onPreamble = (chunk: Buffer) => {
          preamble += chunk.toString("utf8");
          const m = new RegExp(`(?:^|\\n)${marker} (\\d*)\\n`).exec(preamble);
          if (!m) return;
          settled = true;
          clearTimeout(timer);
          channel.stderr.removeListener("data", onPreamble);
          channel.removeListener("close", onEarlyClose);
          channel.removeListener("data", onEarlyStdout);
          resolve(new ShellSession(channel, m[1] ? Number(m[1]) : null, where, ctx.redact, ctx.maxRetainedBytes, ctx.connectionClosed));
        };
        const onEarlyClose = (code: number | null | undefined) => {
          if (ctx.connectionClosed()) return fail(errors.connectionLost(where, "before the shell started"));
          const failure = sudo ? sudoFailure(where, preamble, sudo.passwordLine !== null) : null;
          if (failure) return fail(failure);
          if (code === 127 && /sudo: (command )?not found/.test(preamble)) return fail(errors.commandNotFound(where, "sudo"));
          fail(errors.protocol(where, `the shell ended before it started (exit ${code ?? "unknown"}): ${ctx.redact(preamble.trim()).slice(-500)}`));
        };
        // Nothing is expected on stdout before the marker, but a stream must flow for 'close' to come.
        const onEarlyStdout = () => undefined;
        channel.on("data", onEarlyStdout);
        channel.stderr.on("data", onPreamble);
        channel.on("close", onEarlyClose);
        // The encoded password line is all that precedes the shell's commands, and the wrapper reads it whole.
        if (sudo?.passwordLine != null) channel.write(sudo.passwordLine + "\n");
      });
    });
  }

  get alive() {
    return !this.ended;
  }

  get idle() {
    return !this.ended && !this.busy;
  }

  /** Called once when the shell is gone (closed here, killed, or the connection dropped). */
  onEnd(listener: () => void) {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  close() {
    if (this.ended) return;
    this.channel.close();
    this.end();
  }

  private end() {
    if (this.ended) return;
    this.ended = true;
    this.onChannelEnd?.(this.connectionClosed() ? errors.connectionLost(this.where, "while a command ran") : errors.connectionLost(this.where, "while a command ran (the shell on the host ended)"));
    for (const l of this.endListeners.splice(0)) l();
  }

  /**
   * Run one command. Stopping it (timeout, abort) ends the whole shell: `stop` receives the shell's
   * process group to kill on the host, and the session is not reused.
   */
  run(command: string, options: Pick<ExecOptions, "signal" | "timeoutMs" | "onStdout" | "onStderr">, stop: (pgid: number | null) => Promise<void>): Promise<ExecResult> {
    if (this.busy || this.ended) throw new Error("a shell session runs one command at a time");
    this.busy = true;
    const { signal, timeoutMs, onStdout, onStderr } = options;
    const started = Date.now();
    const token = `\x1enodeprep-end-${randomBytes(6).toString("hex")}`;
    const stdout = new Retained(this.maxRetainedBytes);
    const stderr = new Retained(this.maxRetainedBytes);
    const outLines = new LineSplitter((l) => onStdout?.(this.redact(l)));
    const errLines = new LineSplitter((l) => onStderr?.(this.redact(l)));
    const keep = (retained: Retained, lines: LineSplitter, text: string) => {
      if (!text) return;
      const bytes = Buffer.from(text, "utf8");
      retained.push(bytes);
      lines.push(bytes);
    };

    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let code: number | null = null;
      let outDone = false;
      let errDone = false;
      const settle = (error: SshError | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.onStdoutChunk = this.onStderrChunk = this.onChannelEnd = null;
        this.busy = false;
        if (error) return reject(error);
        outLines.end();
        errLines.end();
        resolve({ code, signal: null, stdout: this.redact(stdout.text()), stderr: this.redact(stderr.text()), durationMs: Date.now() - started });
      };
      const halt = (error: SshError) => {
        if (settled) return;
        const pgid = this.pgid;
        this.onChannelEnd = null; // the shell ends because of this stop: report the stop, not a lost shell
        this.close();
        void stop(pgid).finally(() => settle(error));
      };
      const onAbort = () => halt(errors.aborted(this.where));
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs && timeoutMs > 0) timer = setTimeout(() => halt(errors.commandTimeout(this.where, timeoutMs)), timeoutMs);
      this.onChannelEnd = (error) => settle(error);

      const outEnd = endScanner(token + " ", /^(\d+)\n/, (text) => keep(stdout, outLines, text), (m) => {
        code = Number(m[1]);
        outDone = true;
        if (errDone) settle(null);
      });
      const errEnd = endScanner(token + "\n", /^/, (text) => keep(stderr, errLines, text), () => {
        errDone = true;
        if (outDone) settle(null);
      });
      this.onStdoutChunk = outEnd;
      this.onStderrChunk = errEnd;
      const t = quote(token);
      this.channel.write(`( eval ${quote(command)} ) </dev/null; printf '%s %s\\n' ${t} "$?"; printf '%s\\n' ${t} >&2\n`);
    });
  }
}

/**
 * Watches a stream for the end token: text before it goes to `emit` as it comes, except a tail that
 * could be the start of a split token; `after` must match what follows the token (the exit code on
 * stdout) before `done` is called with that match.
 */
function endScanner(token: string, after: RegExp, emit: (text: string) => void, done: (m: RegExpExecArray) => void) {
  const hold = token.length + 16;
  let tail = "";
  return (text: string) => {
    tail += text;
    const i = tail.indexOf(token);
    if (i < 0) {
      if (tail.length > hold) {
        emit(tail.slice(0, -hold));
        tail = tail.slice(-hold);
      }
      return;
    }
    const m = after.exec(tail.slice(i + token.length));
    if (!m) return;
    emit(tail.slice(0, i));
    done(m);
  };
}
