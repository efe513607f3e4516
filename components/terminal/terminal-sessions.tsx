"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { terminalsApi } from "@/lib/api/terminals";
import { queryKeys } from "@/lib/queries";
import { replayText } from "@/lib/terminal-replay";

/** Terminal sessions on practice nodes (an admin sees everyone's), and a replay of what was typed. */
export function TerminalSessions() {
  const sessions = useQuery({ queryKey: queryKeys.terminals.sessions(), queryFn: () => terminalsApi.sessions() });
  const [open, setOpen] = useState<string | null>(null);
  const log = useQuery({ queryKey: queryKeys.terminals.input(open ?? ""), queryFn: () => terminalsApi.input(open!), enabled: !!open });
  if (sessions.error) return <p role="alert" className="text-sm text-red-800">{sessions.error.message}</p>;
  if (!sessions.data) return <p className="text-sm text-slate-600">Loading…</p>;
  if (sessions.data.sessions.length === 0) return <p className="text-sm text-slate-600">No terminal sessions yet. Open one from a wizard step: “Do it yourself”.</p>;
  return (
    <div className="space-y-4">
      <table className="w-full text-sm">
        <caption className="sr-only">Terminal sessions, newest first</caption>
        <thead>
          <tr className="text-left text-slate-600">
            <th scope="col">Node</th>
            <th scope="col">Who</th>
            <th scope="col">Started</th>
            <th scope="col">Ended</th>
            <th scope="col">Typed / shown</th>
            <th scope="col"><span className="sr-only">Replay</span></th>
          </tr>
        </thead>
        <tbody>
          {sessions.data.sessions.map((s) => (
            <tr key={s.id} className="border-t border-slate-200">
              <td className="font-mono">{s.nodeName ?? s.nodeId}</td>
              <td>{s.actor}</td>
              <td>{new Date(s.startedAt).toLocaleString()}</td>
              <td>{s.endedAt ? `${new Date(s.endedAt).toLocaleTimeString()}: ${s.endReason}` : "open"}</td>
              <td className="font-mono text-xs">{s.endedAt ? `${s.bytesIn} B / ${s.bytesOut} B` : "…"}</td>
              <td>
                <button type="button" onClick={() => setOpen(s.id)} aria-label={`Replay the session of ${s.actor} on ${s.nodeName ?? s.nodeId} started ${s.startedAt}`} className="underline">
                  Replay
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <section aria-label="What was typed" className="space-y-2">
          <h2 className="text-lg font-semibold">What was typed</h2>
          {log.error && <p role="alert" className="text-sm text-red-800">{log.error.message}</p>}
          {log.data && (
            <>
              <pre className="max-h-96 overflow-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{replayText(log.data.input) || "(nothing typed)"}</pre>
              <details>
                <summary className="cursor-pointer text-sm">Each piece with its time</summary>
                <ol className="font-mono text-xs">
                  {log.data.input.map((i, n) => (
                    <li key={n}>
                      +{(i.atMs / 1000).toFixed(1)} s {JSON.stringify(i.data)}
                    </li>
                  ))}
                </ol>
              </details>
            </>
          )}
        </section>
      )}
    </div>
  );
}
