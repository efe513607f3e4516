"use client";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { terminalsApi } from "@/lib/api/terminals";
import { TerminalServerMessage, type TerminalClientMessage } from "@/lib/contracts/terminals";

type State = { kind: "connecting" } | { kind: "open"; sessionId: string } | { kind: "closed"; reason: string };

/**
 * xterm.js makes <style> elements for its renderer, some of them lazily (the cell size once it is
 * measured, the theme). The page's CSP applies a <style> only with the nonce the document was served
 * with (lib/security-headers.ts), so while a terminal is on the page every <style> made gets it. That
 * nonce is read from Next's own scripts: a nonce handed down as a prop would be the one of the latest
 * client navigation's request (a new one each time), which the document's CSP does not know. Counted:
 * two terminals share one patch, the last to go restores createElement.
 */
function documentNonce(): string {
  return document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce ?? "";
}
let patched: { count: number; original: Document["createElement"] } | null = null;
function nonceStyles(): () => void {
  if (!patched) {
    const nonce = documentNonce();
    const original = document.createElement;
    document.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
      const made = original.call(this, tag, options);
      if (tag.toLowerCase() === "style") made.nonce = nonce;
      return made;
    } as Document["createElement"];
    patched = { count: 0, original };
  }
  patched.count++;
  return () => {
    if (patched && --patched.count === 0) {
      document.createElement = patched.original;
      patched = null;
    }
  };
}

/**
 * A terminal on a practice node: xterm.js on a WebSocket to an SSH shell with a pty (server/terminals).
 * A reload or "New session" gives a clean new shell; leaving the page closes the socket, and the
 * server closes the shell with it.
 */
export function TerminalView({ nodeId, nodeName }: { nodeId: string; nodeName: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<State>({ kind: "connecting" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({ fontFamily: "ui-monospace, monospace", fontSize: 13, cursorBlink: true, scrollback: 5000, convertEol: false });
    const fit = new FitAddon();
    term.loadAddon(fit);
    const restore = nonceStyles();
    term.open(el);
    fit.fit();
    const ws = new WebSocket(terminalsApi.socketUrl(window.location, nodeId, { cols: term.cols, rows: term.rows }));
    ws.binaryType = "arraybuffer";
    const send = (m: TerminalClientMessage) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m));
    ws.onmessage = (e) => {
      if (e.data instanceof ArrayBuffer) return term.write(new Uint8Array(e.data));
      const parsed = TerminalServerMessage.safeParse(JSON.parse(String(e.data)));
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === "ready") setState({ kind: "open", sessionId: m.sessionId });
      else if (m.type === "closed") setState({ kind: "closed", reason: m.reason });
      else term.write(`\r\n\x1b[31m${m.message}\x1b[0m\r\n`);
    };
    ws.onclose = (e) => setState((s) => (s.kind === "closed" ? s : { kind: "closed", reason: e.reason || "the connection closed" }));
    // A key, or a whole paste (xterm hands a multi-line paste over as one string, bracketed if the shell asked).
    const input = term.onData((data) => send({ type: "input", data }));
    const resized = term.onResize(({ cols, rows }) => send({ type: "resize", cols, rows }));
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(el);
    term.focus();
    return () => {
      observer.disconnect();
      input.dispose();
      resized.dispose();
      ws.close(1000, "page closed");
      term.dispose();
      restore();
    };
  }, [nodeId, generation]);

  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold">Terminal on {nodeName}</span>
        <span role="status" aria-label="Terminal status" data-state={state.kind} className="text-xs text-slate-600">
          {state.kind === "connecting" ? "connecting…" : state.kind === "open" ? "connected" : `closed: ${state.reason}`}
        </span>
        {state.kind === "closed" && (
          <button
            type="button"
            onClick={() => {
              setState({ kind: "connecting" });
              setGeneration((g) => g + 1);
            }}
            className="rounded border border-slate-400 bg-white px-2 py-1 text-xs font-semibold hover:bg-slate-100 focus:outline-2 focus:outline-blue-600"
          >
            New session
          </button>
        )}
      </div>
      <div ref={box} role="group" aria-label={`Terminal on ${nodeName}`} data-session-id={state.kind === "open" ? state.sessionId : undefined} className="h-96 min-w-0 rounded bg-black p-1" />
    </div>
  );
}
