import "server-only";
import path from "node:path";
import { z } from "zod";

// Every environment variable the server reads, parsed once (design.md: zod at every boundary).
const Env = z.object({
  NODEPREP_DATA_DIR: z.string().min(1).default(path.join(process.cwd(), "data")),
  /** Base64 of 32 bytes; when absent a key file is created in the data directory (mode 0600). */
  NODEPREP_SECRET_KEY: z.string().optional(),
  /** Register the running practice nodes from lab/ at start (the demo and the tests set this). */
  NODEPREP_PRACTICE_NODES: z.enum(["0", "1"]).default("0"),
  /** At most this many practice nodes run at once; without it the limit follows free memory. */
  NODEPREP_PRACTICE_MAX_RUNNING: z.coerce.number().int().min(0).max(99).optional(),
  /** A practice node nobody used for this long is stopped; 0 never stops one. */
  NODEPREP_PRACTICE_IDLE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  /** The address the dashboard listens on (scripts/start.mjs). Loopback unless you mean otherwise. */
  NODEPREP_HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** How people reach the dashboard, e.g. https://nodeprep.example.org behind a TLS proxy: used for
   *  the setup link, the same-Origin check and Secure cookies. Defaults to http://NODEPREP_HOST:PORT. */
  NODEPREP_PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  /** `1`: a reverse proxy in front sets X-Forwarded-Host/-Proto/-For (and overwrites what clients send);
   *  without it those headers are ignored. */
  NODEPREP_TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  /** More names the dashboard answers to (comma-separated host[:port]); any other Host gets 421. */
  NODEPREP_ALLOWED_HOSTS: z.string().max(2000).optional(),
  /** How long a sign-in lasts. */
  NODEPREP_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** How many hosts a health scan reads at once (each its own SSH connection, kept in the pool). */
  NODEPREP_SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** A terminal in the browser with no input for this long is closed (its shell on the node ends). */
  NODEPREP_TERMINAL_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  /** `name:password`: create this admin at start when there are no users yet (tests, automation).
   *  Without it the first start prints a one-time setup link instead. */
  NODEPREP_BOOTSTRAP_ADMIN: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,31}:[^\u0000-\u001f\u007f]{12,256}$/, "must be name:password (lowercase name, password of 12+ characters, no control characters)")
    .optional(),
});

export type Config = z.infer<typeof Env>;

let cached: Config | undefined;

export function config(): Config {
  if (!cached) {
    const parsed = Env.safeParse(process.env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`invalid environment: ${issue.path.join(".")}: ${issue.message}`);
    }
    cached = parsed.data;
  }
  return cached;
}
