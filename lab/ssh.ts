// The lab's own tiny SSH client (ssh2), used to wait for a node and to inject faults. The product's
// SSH layer lives in server/ssh; the lab stays independent of it so it can test that layer.
import { Client } from "ssh2";

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
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
      .connect({ ...target, readyTimeout: 20_000, hostVerifier: () => true });
  });
}

/** Retry until the node answers a command over SSH (sshd up, key accepted). */
export async function waitForSsh(target: SshTarget, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const r = await sshExec(target, "true", 15_000);
      if (r.code === 0) return;
      last = new Error(`exit ${r.code}`);
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`practice node ${target.host}:${target.port} not reachable over SSH after ${timeoutMs} ms: ${String(last)}`);
}
