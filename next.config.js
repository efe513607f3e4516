/** @type {import('next').NextConfig} */

// Static files do not pass through proxy.ts: they get the same fixed headers here (the page CSP with
// its nonce is proxy.ts's). Keep in step with lib/security-headers.ts.
const STATIC_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'" },
];

const nextConfig = {
  // ssh2 ships optional native bindings (cpu-features) and better-sqlite3 is native: keep both out of
  // the server bundle and load them from node_modules at run time.
  // ws (the terminal's WebSocket server) has optional native helpers too.
  serverExternalPackages: ["ssh2", "better-sqlite3", "ws"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The dashboard must build without the internet: no telemetry, no remote fonts or images.
  images: { unoptimized: true },
  async headers() {
    return [{ source: "/_next/static/:path*", headers: STATIC_HEADERS }, { source: "/favicon.ico", headers: STATIC_HEADERS }, { source: "/icon.svg", headers: STATIC_HEADERS }];
  },
};

module.exports = nextConfig;
