#!/usr/bin/env node
// `npm start`: serve the built dashboard with `next start` on 127.0.0.1 (loopback only) unless told
// otherwise, and say where. nodeprep runs commands as root on other machines: exposing it beyond
// this machine is a decision, made with NODEPREP_HOST, and ideally behind https (NODEPREP_PUBLIC_URL).
//
//   NODEPREP_HOST        address to listen on (default 127.0.0.1; 0.0.0.0 or :: = every interface)
//   PORT                 port (default 3000)
//   NODEPREP_PUBLIC_URL  how people reach it when a TLS proxy is in front, e.g. https://prep.example.org
import { spawn } from "node:child_process";
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

const child = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-H", host, "-p", port], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODEPREP_HOST: host, PORT: port },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGTERM" || signal === "SIGINT" ? 0 : 1)));
