import "server-only";
import { spawn } from "node:child_process";
import { SshError, type ExecOptions, type ExecResult, type RemoteHost } from "../types";

// The one fake RemoteHost of the unit tests: a target, and whatever of connect, exec and upload the
// test gives it (what it does not give fails loudly when called). localHost() gives it the local
// `sh`; the artifacts tests give it an in-memory file system (server/artifacts/testing/fake-host.ts).

export type FakeTarget = RemoteHost["target"];

/** A target named `name` (also its node id), at 10.0.0.5:22 as ops unless told otherwise. */
export function fakeTarget(name: string, over: Partial<FakeTarget> = {}): FakeTarget {
  return { nodeId: name, name, address: "10.0.0.5", port: 22, username: "ops", ...over };
}

export interface FakeHostSpec {
  target?: FakeTarget;
  connect?: RemoteHost["connect"];
  exec?: RemoteHost["exec"];
  upload?: RemoteHost["upload"];
}

export function fakeHost(spec: FakeHostSpec = {}): RemoteHost {
  const target = spec.target ?? fakeTarget("fake-1");
  const unused = (what: string) => () => Promise.reject(new Error(`the fake host ${target.name} was asked to ${what}, which this test does not expect`));
  return {
    target,
    ...(spec.connect ? { connect: spec.connect } : {}),
    exec: spec.exec ?? unused("run a command"),
    upload: spec.upload ?? unused("upload"),
  };
}

/**
 * A RemoteHost that runs commands with the local `sh`: the engine's tests use it as the fake host, so
 * the batched probe scripts, file writes and streaming run for real, only without SSH.
 */
export function localHost(name = "local"): RemoteHost & { running: number } {
  const state = { running: 0 };
  const target = fakeTarget(name, { address: "127.0.0.1", username: "test" });
  const details = { host: target.address, port: target.port, username: target.username };
  const host = fakeHost({
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
  });
  return Object.assign(state, host);
}
