#!/usr/bin/env node
// `npm start`: serve the built dashboard (Next, in this process) on 127.0.0.1 (loopback only) unless told
// otherwise, and say where. nodeprep runs commands as root on other machines: exposing it beyond
// this machine is a decision, made with NODEPREP_HOST, and ideally behind https (NODEPREP_PUBLIC_URL).
//
//   NODEPREP_HOST        address to listen on (default 127.0.0.1; 0.0.0.0 or :: = every interface)
//   PORT                 port (default 3000)
//   NODEPREP_PUBLIC_URL  how people reach it when a TLS proxy is in front, e.g. https://prep.example.org
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = process.env.NODEPREP_HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  console.error(`[nodeprep] PORT must be a port number, got "${port}"`);
  process.exit(2);
}

const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
const publicUrl = process.env.NODEPREP_PUBLIC_URL;
const https = !!publicUrl && publicUrl.startsWith("https:");
const shown = host.includes(":") ? `[${host}]` : host;

console.log(`[nodeprep] listening on http://${shown}:${port}${loopback ? " (loopback only: set NODEPREP_HOST to listen elsewhere)" : ""}`);
if (publicUrl) console.log(`[nodeprep] public URL ${publicUrl}`);
if (!loopback && !https) {
  const bar = "!".repeat(78);
  console.warn(
    [
      bar,
      `!! WARNING: nodeprep is listening on ${host}, beyond this machine, over plain http.`,
      "!! Passwords and session cookies cross the network in clear text, and this dashboard runs",
      "!! commands as root on your hosts. Put a TLS proxy in front and set NODEPREP_PUBLIC_URL=https://...,",
      "!! or listen on 127.0.0.1 (the default) and reach it through an SSH tunnel.",
      bar,
    ].join("\n"),
  );
}

// The dashboard's own HTTP server in front of Next (a custom server, in this process): it is the only
// party that knows the client's real address, the socket's peer. It puts that in x-nodeprep-peer,
// replacing whatever a client sent under that name, so sign-in throttling and the audit log can trust
// it (lib/request-trust.ts); X-Forwarded-* are believed only with NODEPREP_TRUST_PROXY=1.
process.env.NODE_ENV = "production";
process.env.NODEPREP_HOST = host;
process.env.PORT = port;
process.env.NODEPREP_FRONT_DOOR = "1";
const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname: host, port: Number(port) });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  req.headers["x-nodeprep-peer"] = req.socket.remoteAddress ?? "";
  handle(req, res).catch((error) => {
    console.error("[nodeprep] request failed", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end("internal error (see the server log)");
  });
});
// WebSockets (a terminal in the browser): the handler comes from the server code Next loaded
// (server/terminals/socket.ts, installed at start-up); anything it does not take is refused.
server.on("upgrade", (req, socket, head) => {
  req.headers["x-nodeprep-peer"] = req.socket.remoteAddress ?? "";
  socket.on("error", () => socket.destroy());
  const handled = globalThis.nodeprepUpgrade?.(req, socket, head);
  if (!handled) socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
});
server.listen(Number(port), host, () => console.log(`[nodeprep] ready on http://${shown}:${port}`));
server.on("error", (error) => {
  console.error(`[nodeprep] cannot listen on ${shown}:${port}: ${error.message}`);
  process.exit(1);
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    // Open event streams (a run's live log) keep connections: do not wait for them.
    setTimeout(() => process.exit(0), 3_000).unref();
    server.closeAllConnections?.();
  });
}
