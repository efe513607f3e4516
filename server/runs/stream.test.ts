import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RunEvent } from "@/lib/contracts/runs";
import { openDb, type Db } from "../db";
import { publish } from "./bus";
import { appendEvent, createRun, finishRun } from "./repository";
import { runEventStream } from "./stream";

let db: Db;
let runId: string;

beforeEach(() => {
  db = openDb(":memory:");
  runId = createRun(db, { mode: "check", stepIds: ["sysctl"], nodes: [{ id: "n1", name: "one" }], actor: null });
});
afterEach(() => db.close());

const emit = (e: Parameters<typeof appendEvent>[2]) => publish(runId, appendEvent(db, runId, e));
const phase = () => emit({ type: "phase", nodeId: "n1", stepId: "sysctl", phase: "plan" });

async function collect(stream: ReadableStream<Uint8Array>) {
  const text = await new Response(stream).text();
  return text
    .split("\n\n")
    .filter((f) => f.includes("data: "))
    .map((f) => ({ id: Number(/^id: (\d+)$/m.exec(f)![1]), event: RunEvent.parse(JSON.parse(/^data: (.*)$/m.exec(f)![1])) }));
}

describe("runEventStream (GET /api/runs/:id/events)", () => {
  it("replays stored events after Last-Event-ID, then tails live ones, without gaps or repeats, and ends at run-end", async () => {
    phase();
    phase();
    phase();
    const stream = runEventStream(db, runId, 1, new AbortController().signal);
    const done = collect(stream);
    phase();
    finishRun(db, runId, "succeeded", "ok");
    emit({ type: "run-end", nodeId: null, stepId: null, status: "succeeded", message: "ok" });
    const frames = await done;
    expect(frames.map((f) => f.id)).toEqual([2, 3, 4, 5]);
    expect(frames.map((f) => f.event.seq)).toEqual([2, 3, 4, 5]);
    expect(frames.at(-1)!.event.type).toBe("run-end");
  });

  it("closes right away for a finished run already read to the end", async () => {
    phase();
    finishRun(db, runId, "succeeded", "ok");
    emit({ type: "run-end", nodeId: null, stepId: null, status: "succeeded", message: "ok" });
    expect(await collect(runEventStream(db, runId, 2, new AbortController().signal))).toEqual([]);
    expect((await collect(runEventStream(db, runId, 0, new AbortController().signal))).map((f) => f.id)).toEqual([1, 2]);
  });

  it("stops when the client goes away", async () => {
    const ac = new AbortController();
    const done = collect(runEventStream(db, runId, 0, ac.signal));
    phase();
    ac.abort();
    expect((await done).map((f) => f.id)).toEqual([1]);
  });
});
