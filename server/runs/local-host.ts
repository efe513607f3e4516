import "server-only";
import { spawn } from "node:child_process";
import { SshError, type ExecOptions, type ExecResult, type RemoteHost } from "../ssh/types";

/**
 * A RemoteHost that runs commands with the local `sh`: the engine's tests use it as the fake host, so
 * the batched probe scripts, file writes and streaming run for real, only without SSH.
 */
export function localHost(name = "local"): RemoteHost & { running: number } {
  const state = { running: 0 };
  const target = { nodeId: name, name, address: "127.0.0.1", port: 22, username: "test" };
  const details = { host: target.address, port: target.port, username: target.username };
  return Object.assign(state, {
    target,
    exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
      return new Promise((resolve, reject) => {
        if (opts.signal?.aborted) return reject(new SshError("aborted", "cancelled before it started", details));
        const started = Date.now();
        const child = spawn("sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"], detached: true });
        state.running++;
        let stdout = "";
        let stderr = "";
        const lines = (cb: ((l: string) => void) | undefined) => {
          let partial = "";
          return {
            push(d: Buffer) {
              const parts = (partial + d.toString()).split("\n");
              partial = parts.pop() ?? "";
              parts.forEach((l) => cb?.(l));
            },
            end() {
              if (partial) cb?.(partial);
            },
          };
        };
        const out = lines(opts.onStdout);
        const err = lines(opts.onStderr);
        child.stdout.on("data", (d: Buffer) => ((stdout += d), out.push(d)));
        child.stderr.on("data", (d: Buffer) => ((stderr += d), err.push(d)));
        child.stdin.on("error", () => undefined);
        child.stdin.end(opts.stdin ?? "");
        let failure: SshError | null = null;
        const kill = (e: SshError) => {
          failure = e;
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            // already gone
          }
        };
        const onAbort = () => kill(new SshError("aborted", "the command was cancelled", details));
        opts.signal?.addEventListener("abort", onAbort, { once: true });
        const timer = opts.timeoutMs ? setTimeout(() => kill(new SshError("timeout", `no answer within ${opts.timeoutMs} ms`, details)), opts.timeoutMs) : null;
        child.on("close", (code, signal) => {
          state.running--;
          if (timer) clearTimeout(timer);
          opts.signal?.removeEventListener("abort", onAbort);
          out.end();
          err.end();
          if (failure) return reject(failure);
          resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started });
        });
      });
    },
    async upload() {
      throw new Error("localHost does not upload");
    },
  });
}
