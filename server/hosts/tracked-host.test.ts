import { describe, expect, it } from "vitest";
import { recordInterruptedCommands } from "../audit/record";
import { openDb } from "../db";
import { fakeHost, fakeTarget, localHost } from "../ssh/testing/fake-host";
import { SshError, type ExecOptions, type ExecResult, type RemoteHost } from "../ssh/types";
import { trackHost, type CommandEvents } from "./tracked-host";

const NODE = { id: "n1", name: "web-1" };
const SECRET = "s3cret-sudo-pw";

function setup(raw: RemoteHost = localHost("web-1")) {
  const db = openDb(":memory:");
  const seen: string[] = [];
  let ids = 0;
  const events: CommandEvents = {
    nextId: () => ++ids,
    started: (e) => seen.push(`start ${e.commandId} ${e.command}`),
    output: (e) => seen.push(`${e.stream} ${e.commandId} ${e.line}`),
    finished: (e) => seen.push(`end ${e.commandId} ${e.exitCode}`),
  };
  const host = trackHost(raw, { db, actor: "alice", runId: "r1", stepId: () => "sysctl", events, node: NODE, secrets: [SECRET] });
  type Row = { actor: string; action: string; node_id: string; run_id: string; step_id: string; command: string | null; script_hash: string | null; exit_code: number | null; output_bytes: number | null; detail: any };
  const rows = (): Row[] =>
    (db.prepare("SELECT actor, action, node_id, run_id, step_id, command, script_hash, exit_code, output_bytes, detail FROM audit_log ORDER BY seq").all() as Row[]).map((r) => ({
      ...r,
      detail: r.detail ? JSON.parse(r.detail as string) : null,
    }));
  return { db, host, seen, rows };
}

// As the SSH layer throws it when the handshake met another key: `stage: "connect"`, nothing ran.
const hostKeyChanged = () =>
  new SshError("host-key-changed", "HOST KEY CHANGED for 10.0.0.5:22 (user ops): expected A, but the host offers B", { host: "10.0.0.5", port: 22, username: "ops", stage: "connect" });

describe("the tracked path to a host", () => {
  it("records each command with who, node, run, step, the command, exit and bytes; streams it; redacts secrets", async () => {
    const { host, seen, rows } = setup();
    const r = await host.exec(`echo out; echo "pw is ${SECRET}" >&2; exit 3`, { asRoot: true });
    expect(r.code).toBe(3);
    expect(rows()).toEqual([
      {
        actor: "alice",
        action: "command",
        node_id: "n1",
        run_id: "r1",
        step_id: "sysctl",
        command: 'echo out; echo "pw is [redacted]" >&2; exit 3',
        script_hash: null,
        exit_code: 3,
        output_bytes: Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr),
        detail: { asRoot: true },
      },
    ]);
    expect(seen).toEqual(['start 1 echo out; echo "pw is [redacted]" >&2; exit 3', "stdout 1 out", "stderr 1 pw is [redacted]", "end 1 3"]);
  });

  it("a refused connection is `connection-failed` with the reason, not a command that ran", async () => {
    const refusing = fakeHost({
      target: fakeTarget("x"),
      connect: async () => Promise.reject(hostKeyChanged()),
      exec: async () => Promise.reject(hostKeyChanged()),
      upload: async () => Promise.reject(hostKeyChanged()),
    });
    const { host, rows, seen } = setup(refusing);
    await expect(host.connect()).rejects.toThrow("HOST KEY CHANGED");
    await expect(host.exec("modprobe overlay", { asRoot: true })).rejects.toThrow("HOST KEY CHANGED");
    expect(rows().map((r) => [r.action, r.command, r.exit_code, r.detail.reason])).toEqual([
      ["connection-failed", null, null, "host-key-changed"],
      ["connection-failed", "modprobe overlay", null, "host-key-changed"],
    ]);
    expect(seen).toEqual(["start 1 modprobe overlay", "end 1 null"]);
  });

  it("a command that could not finish (cancelled, lost) is a row with no exit code and the reason", async () => {
    const { host, rows } = setup();
    const ac = new AbortController();
    const p = host.exec("sleep 30", { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toThrow();
    expect(rows()[0]).toMatchObject({ command: "sleep 30", exit_code: null, detail: { error: { kind: "aborted" } } });
  });

  it("a generated script is stored once by hash; the row shows its label, the probes and its own nonce line", async () => {
    const { db, host, rows, seen } = setup();
    const body = "printf '%s\\n' \"$nodeprep_nonce\"\n";
    for (const nonce of ["aaaa1111", "bbbb2222"]) {
      const r = await host.exec(`nodeprep_nonce=${nonce}\n${body}`, { audit: { script: "probes (one script): swap-off", body, probes: ["swap-off"], quiet: true } });
      expect(r.stdout).toBe(`${nonce}\n`);
    }
    expect(db.prepare("SELECT text FROM audit_scripts").pluck().all()).toEqual([body]);
    const [a, b] = rows();
    expect(a).toMatchObject({ command: "probes (one script): swap-off", detail: { probes: ["swap-off"], preamble: "nodeprep_nonce=aaaa1111\n" } });
    expect(b.script_hash).toBe(a.script_hash);
    expect(seen).toEqual([]); // quiet: results show as probes, not as log lines
  });

  it("records the kill that stopped a command, and every upload", async () => {
    const raw = fakeHost({
      target: fakeTarget("x"),
      exec: async (_c: string, o?: ExecOptions): Promise<ExecResult> => {
        o?.onKill?.({ command: "kill -KILL -4242 2>/dev/null; true", asRoot: true, code: 0, durationMs: 5 });
        throw new SshError("timeout", "the command on 10.0.0.5:22 (user ops) did not finish within 1 s and was stopped", { host: "10.0.0.5", port: 22, username: "ops" });
      },
      upload: async (_s, _p, o) => o?.onProgress?.(1234, 1234),
    });
    const { host, rows } = setup(raw);
    await expect(host.exec("sleep 99", { asRoot: true, timeoutMs: 1000 })).rejects.toThrow("did not finish");
    await host.quietly().upload(Buffer.alloc(1234), "/tmp/nodeprep-artifact.x/runc.amd64", { mode: 0o600 });
    expect(rows().map((r) => [r.action, r.command, r.exit_code])).toEqual([
      ["command", "kill -KILL -4242 2>/dev/null; true", 0],
      ["command", "sleep 99", null],
      ["upload", "sftp put 1234 bytes /tmp/nodeprep-artifact.x/runc.amd64", 0],
    ]);
    expect(rows()[0].detail).toMatchObject({ asRoot: true, stops: 1 });
    expect(rows()[2]).toMatchObject({ output_bytes: 1234, detail: { mode: "600" } });
  });

  it("a command cut off by the dashboard stopping still gets its audit row at the next start", async () => {
    const { db, host, rows } = setup();
    const ac = new AbortController();
    const running = host.exec("sleep 5", { signal: ac.signal }).catch(() => undefined); // the dashboard "stops" while it runs
    expect(db.prepare("SELECT command FROM commands_in_flight").pluck().all()).toEqual(["sleep 5"]);
    expect(recordInterruptedCommands(db)).toBe(1);
    expect(rows()[0]).toMatchObject({ action: "command", command: "sleep 5", exit_code: null, run_id: "r1", detail: { interrupted: expect.stringContaining("the dashboard stopped while this ran") } });
    expect(db.prepare("SELECT count(*) FROM commands_in_flight").pluck().get()).toBe(0);
    ac.abort();
    await running;
  });

  it("knows what is running now (what a cancel names)", async () => {
    const { host } = setup();
    const p = host.exec("sleep 0.2; echo done");
    expect(host.running().map((c) => c.command)).toEqual(["sleep 0.2; echo done"]);
    await p;
    expect(host.running()).toEqual([]);
  });
});
