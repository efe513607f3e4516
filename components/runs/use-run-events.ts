"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { runsApi } from "@/lib/api/runs";
import type { RunEvent } from "@/lib/contracts/runs";
import { queryKeys } from "@/lib/queries";
import { reduceRunEvents } from "./run-view";

/**
 * Follow a run's events (Server-Sent Events): the server replays what is stored, then tails live
 * events; EventSource re-attaches with Last-Event-ID after a drop, and we close it at run-end.
 */
export function useRunEvents(runId: string | null) {
  const [state, setState] = useState<{ runId: string | null; events: RunEvent[]; error: string | null }>({ runId, events: [], error: null });
  const queryClient = useQueryClient();

  // A new run starts from an empty log (set during render: React's "adjust state when a prop changes").
  if (state.runId !== runId) setState({ runId, events: [], error: null });

  useEffect(() => {
    if (!runId) return;
    const source = new EventSource(runsApi.eventsUrl(runId));
    let last = 0;
    const batch: RunEvent[] = [];
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      const add = batch.splice(0);
      if (add.length) setState((s) => (s.runId === runId ? { ...s, events: [...s.events, ...add], error: null } : s));
    };
    source.addEventListener("run", (msg) => {
      let event: RunEvent;
      try {
        event = runsApi.parseEvent((msg as MessageEvent<string>).data);
      } catch {
        setState((s) => ({ ...s, error: "the server sent an event this page does not understand; reload the page" }));
        return;
      }
      if (event.seq <= last) return;
      last = event.seq;
      batch.push(event);
      // Many lines can arrive at once: render at most once per frame.
      frame ??= requestAnimationFrame(flush);
      if (event.type === "run-end") {
        source.close();
        flush();
        void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all });
        void queryClient.invalidateQueries({ queryKey: queryKeys.catalog.all });
        void queryClient.invalidateQueries({ queryKey: queryKeys.nodes.all });
        void queryClient.invalidateQueries({ queryKey: queryKeys.health.all });
      }
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setState((s) => ({ ...s, error: "lost the live connection to the dashboard; reload to re-attach" }));
    };
    return () => {
      source.close();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [runId, queryClient]);

  const events = useMemo(() => (state.runId === runId ? state.events : []), [state, runId]);
  const view = useMemo(() => reduceRunEvents(events), [events]);
  return { events, view, error: state.error };
}
