/** @type {import('next').NextConfig} */
const nextConfig = {
  // ssh2 ships optional native bindings (cpu-features) and better-sqlite3 is native: keep both out of
  // the server bundle and load them from node_modules at run time.
  serverExternalPackages: ["ssh2", "better-sqlite3"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The dashboard must build without the internet: no telemetry, no remote fonts or images.
  images: { unoptimized: true },
};

module.exports = nextConfig;
