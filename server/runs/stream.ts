import "server-only";
import { TERMINAL_RUN_STATUSES, type RunEvent } from "@/lib/contracts/runs";
import type { Db } from "../db";
import { subscribe } from "./bus";
import { getRun, listEvents } from "./repository";

const HEARTBEAT_MS = 15_000;

function frame(e: RunEvent): string {
  // JSON never contains a raw newline, so one data: line per event is enough.
  return `id: ${e.seq}\nevent: run\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * Server-Sent Events for one run: the stored events after `afterSeq` (a reload or an EventSource
 * reconnect sends Last-Event-ID), then live ones, ending after `run-end`. Subscribing BEFORE reading
 * the store means no event falls between the replay and the tail; duplicates are dropped by seq.
 */
export function runEventStream(db: Db, runId: string, afterSeq: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let last = afterSeq;
      let closed = false;
      let replaying = true;
      const pending: RunEvent[] = [];
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // the client went away first
        }
      };
      const send = (e: RunEvent) => {
        if (closed || e.seq <= last) return;
        last = e.seq;
        controller.enqueue(enc.encode(frame(e)));
        if (e.type === "run-end") close();
      };
      const off = subscribe(runId, (e) => (replaying ? pending.push(e) : send(e)));
      const heartbeat = setInterval(() => !closed && controller.enqueue(enc.encode(": keep-alive\n\n")), HEARTBEAT_MS);
      const onAbort = () => close();
      signal.addEventListener("abort", onAbort);
      cleanup = () => {
        off();
        clearInterval(heartbeat);
        signal.removeEventListener("abort", onAbort);
      };
      controller.enqueue(enc.encode("retry: 2000\n\n"));
      for (const e of listEvents(db, runId, afterSeq)) send(e);
      replaying = false;
      for (const e of pending.splice(0)) send(e);
      // A finished run whose end was already sent before (Last-Event-ID at the end): nothing to tail.
      const run = getRun(db, runId);
      if (!closed && run && TERMINAL_RUN_STATUSES.includes(run.status)) close();
    },
    cancel() {
      cleanup();
    },
  });
}
