import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Integration runs get a lab state directory of their own (same image cache), so concurrent runs and a
// demo never stop each other's nodes. Set here so global-setup (main process) and workers agree.
process.env.NODEPREP_LAB_STATE ??= path.join(os.tmpdir(), `nodeprep-it-${process.pid}`);

// Two projects: `unit` (fast, no network, next to the code) and `integration` (real practice nodes,
// one file at a time: the VMs share two cores).
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; in tests it is just a marker.
      "server-only": path.resolve(import.meta.dirname, "test/server-only.ts"),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{app,components,lib,server,lab,bench,scripts}/**/*.test.{ts,tsx}"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          // The integration tests' nodes live apart from a demo's (same image cache).
          env: { NODEPREP_LAB_STATE: process.env.NODEPREP_LAB_STATE },
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
