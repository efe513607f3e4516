// The lab's own tiny SSH client (ssh2), used to wait for a node and to inject faults. The product's
// SSH layer lives in server/ssh; the lab stays independent of it so it can test that layer.
import { Client } from "ssh2";

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** Accept only a host presenting one of these keys (.pub lines); absent: any key (the lab's own VMs). */
  hostKeys?: string[];
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function sshExec(target: SshTarget, command: string, timeoutMs = 60_000): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const conn = new Client();
    const timer = setTimeout(() => {
      conn.end();
      reject(new Error(`ssh ${target.username}@${target.host}:${target.port} "${command}" timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    conn
      .on("ready", () => {
        conn.exec(command, (err, stream) => {
          if (err) {
            clearTimeout(timer);
            conn.end();
            return reject(err);
          }
          let stdout = "";
          let stderr = "";
          stream.on("data", (d: Buffer) => (stdout += d));
          stream.stderr.on("data", (d: Buffer) => (stderr += d));
          stream.on("close", (code: number | null) => {
            clearTimeout(timer);
            conn.end();
            resolve({ code, stdout, stderr });
          });
        });
      })
      .on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      })
      .connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        readyTimeout: 20_000,
        hostVerifier: (key: Buffer) => !target.hostKeys || target.hostKeys.some((line) => line.split(/\s+/)[1] === key.toString("base64")),
      });
  });
}

/**
 * Retry until the node answers a command over SSH (sshd up, key accepted, and the host key one of
 * `target.hostKeys` when given). `command` (default `true`) is built anew for every attempt, so the
 * first connection that gets through can already do the first job (startNode sets the clock with it).
 */
export async function waitForSsh(target: SshTarget, timeoutMs: number, command: () => string = () => "true"): Promise<ExecResult> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const r = await sshExec(target, command(), 15_000);
      if (r.code === 0) return r;
      last = new Error(`exit ${r.code}: ${r.stderr.trim()}`);
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`practice node ${target.host}:${target.port} not reachable over SSH after ${timeoutMs} ms: ${String(last)}`);
}
