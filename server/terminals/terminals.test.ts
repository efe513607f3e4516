import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/contracts/auth";
import { openDb } from "../db";
import { trackHost } from "../hosts/tracked-host";
import { insertNode } from "../nodes/repository";
import type { InteractiveShell, RemoteHost } from "../ssh/types";
import { canReplay, terminalAccess } from "./access";
import { IdleTimer } from "./idle";
import { replayText } from "@/lib/terminal-replay";
import { appendInput, endOrphanedSessions, endSession, inputLog, listSessions, startSession } from "./repository";

const user = (role: SessionUser["role"], id = `u-${role}`): SessionUser => ({ id, name: `${role}-1`, role });
const practice = { id: "n1", name: "practice-1", practice: true };
const real = { id: "n2", name: "web-1", practice: false };

describe("who may open a terminal to which node", () => {
  it("never to a node that is not a practice node, whoever asks", () => {
    for (const role of ["trainee", "viewer", "operator", "trainer", "admin"] as const) {
      const r = terminalAccess(user(role), real);
      expect(r).toEqual({ ok: false, reason: "web-1 is not a practice node: terminals open only to practice nodes" });
    }
  });

  it("on a practice node: admins and operators; a viewer is told what it takes", () => {
    expect(terminalAccess(user("admin"), practice)).toEqual({ ok: true });
    expect(terminalAccess(user("operator"), practice)).toEqual({ ok: true });
    expect(terminalAccess(user("trainer"), practice)).toEqual({ ok: true });
    expect(terminalAccess(user("trainee"), practice).ok).toBe(false);
    expect(terminalAccess(user("viewer"), practice)).toEqual({ ok: false, reason: "a terminal on practice-1 needs the operator role (or the node assigned to you); you are viewer" });
  });

  it("a practice node assigned to a trainee: that trainee (any role) and admins, nobody else", () => {
    const assigned = { ...practice, assignedTo: "trainee-7" };
    expect(terminalAccess(user("trainee", "trainee-7"), assigned)).toEqual({ ok: true });
    expect(terminalAccess(user("admin"), assigned)).toEqual({ ok: true });
    expect(terminalAccess(user("operator"), assigned)).toEqual({ ok: false, reason: "practice-1 is assigned to another trainee" });
    expect(terminalAccess(user("trainee", "trainee-8"), assigned).ok).toBe(false);
    expect(terminalAccess(user("trainer"), assigned).ok).toBe(false);
  });

  it("replay: trainers and admins any session, others only their own", () => {
    expect(canReplay(user("admin"), "someone")).toBe(true);
    expect(canReplay(user("trainer"), "someone")).toBe(true);
    expect(canReplay(user("operator"), "operator-1")).toBe(true);
    expect(canReplay(user("operator"), "someone")).toBe(false);
  });
});

describe("the idle timer", () => {
  afterEach(() => void vi.useRealTimers());

  it("fires once after the idle time with no input; each keystroke starts the wait again; stop() cancels", () => {
    vi.useFakeTimers();
    const fired: number[] = [];
    const t = new IdleTimer(15 * 60_000, () => fired.push(Date.now()));
    vi.advanceTimersByTime(14 * 60_000);
    t.touch();
    vi.advanceTimersByTime(14 * 60_000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(fired).toHaveLength(1);
    t.touch(); // after it fired: the terminal is closing, nothing starts again
    vi.advanceTimersByTime(60 * 60_000);
    expect(fired).toHaveLength(1);

    const stopped = new IdleTimer(1000, () => fired.push(-1));
    stopped.stop();
    vi.advanceTimersByTime(10_000);
    expect(fired).toHaveLength(1);
  });
});

function dbWithNode() {
  const db = openDb(":memory:");
  const node = insertNode(db, { name: "practice-1", address: "127.0.0.1", port: 2201, username: "ops", authMethod: "key", privilege: "sudo-nopasswd", practice: true });
  return { db, node };
}

describe("the kept input of a terminal session", () => {
  it("keeps each piece in order with its time, ends the session once, and reads back for replay", () => {
    const { db, node } = dbWithNode();
    const s = startSession(db, { nodeId: node.id, actor: "trainee" }, new Date("2026-01-01T10:00:00Z"));
    appendInput(db, s.id, 5, "sudo modprobe ");
    appendInput(db, s.id, 900.4, "overlay\r");
    appendInput(db, s.id, 1200, "cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\roverlay\rEOF\r"); // a paste: one piece
    endSession(db, s.id, { reason: "the page closed", bytesIn: 70, bytesOut: 300 }, new Date("2026-01-01T10:01:00Z"));
    endSession(db, s.id, { reason: "idle for 15 min", bytesIn: 0, bytesOut: 0 }); // already ended: unchanged
    const log = inputLog(db, s.id)!;
    expect(log.session).toMatchObject({ nodeName: "practice-1", actor: "trainee", endedAt: "2026-01-01T10:01:00.000Z", endReason: "the page closed", bytesIn: 70, bytesOut: 300 });
    expect(log.input).toEqual([
      { atMs: 5, data: "sudo modprobe " },
      { atMs: 900, data: "overlay\r" },
      { atMs: 1200, data: "cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\roverlay\rEOF\r" },
    ]);
    expect(replayText(log.input)).toBe("sudo modprobe overlay\ncat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\noverlay\nEOF\n");
    expect(inputLog(db, "no-such-session")).toBeNull();
  });

  it("names control keys in the replay text", () => {
    expect(replayText([{ data: "lsmdo\u007f\u007fod\u001b[A\u0003" }])).toBe("lsmdo⌫⌫od↑^C");
  });

  it("sessions left open by a stopped dashboard are ended at start-up", () => {
    const { db, node } = dbWithNode();
    const open = startSession(db, { nodeId: node.id, actor: "a" });
    expect(endOrphanedSessions(db)).toBe(1);
    expect(listSessions(db, { nodeId: node.id })[0]).toMatchObject({ id: open.id, endReason: "the dashboard stopped" });
  });
});

describe("a terminal on the tracked path", () => {
  function fakeShell() {
    const listeners = { data: [] as ((b: Buffer) => void)[], close: [] as (() => void)[] };
    const written: string[] = [];
    const shell: InteractiveShell = {
      write: (d) => void written.push(String(d)),
      resize: () => undefined,
      onData: (l) => void listeners.data.push(l),
      onClose: (l) => void listeners.close.push(l),
      close: () => listeners.close.forEach((l) => l()),
    };
    const raw: RemoteHost = {
      target: { nodeId: "n1", name: "practice-1", address: "127.0.0.1", port: 2201, username: "ops" },
      exec: async () => Promise.reject(new Error("unused")),
      upload: async () => undefined,
      shell: async () => shell,
    };
    return { raw, written, emit: (s: string) => listeners.data.forEach((l) => l(Buffer.from(s))) };
  }

  it("audits the start and the end with who, node, duration, bytes each way and why it ended; in flight while open", async () => {
    const db = openDb(":memory:");
    const fake = fakeShell();
    const host = trackHost(fake.raw, { db, actor: "trainee", node: { id: "n1", name: "practice-1" }, secrets: [] });
    const shell = await host.shell({ cols: 80, rows: 24 }, { terminalId: "t1" });
    expect(db.prepare("SELECT action FROM commands_in_flight").pluck().all()).toEqual(["terminal-end"]);
    shell.write("ls\r");
    fake.emit("ls\r\nfile\r\n$ ");
    shell.close("the page closed");
    const rows = db.prepare("SELECT actor, action, node_id, command, output_bytes, duration_ms IS NOT NULL AS timed, detail FROM audit_log ORDER BY seq").all() as Record<string, unknown>[];
    expect(rows.map((r) => ({ ...r, detail: JSON.parse(r.detail as string) }))).toEqual([
      { actor: "trainee", action: "terminal-start", node_id: "n1", command: "interactive shell (pty 80x24)", output_bytes: null, timed: 0, detail: { terminalId: "t1" } },
      { actor: "trainee", action: "terminal-end", node_id: "n1", command: "interactive shell (pty 80x24)", output_bytes: Buffer.byteLength("ls\r\nfile\r\n$ "), timed: 1, detail: { terminalId: "t1", inputBytes: 3, reason: "the page closed" } },
    ]);
    expect(db.prepare("SELECT COUNT(*) FROM commands_in_flight").pluck().get()).toBe(0);
    expect(fake.written).toEqual(["ls\r"]);
  });
});
