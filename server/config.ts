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
