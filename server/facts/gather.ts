import "server-only";
import type { HostFacts } from "@/lib/contracts/facts";
import type { RemoteHost } from "../ssh/types";
import { parseFacts } from "./parse";
import { FACTS_SCRIPT } from "./script";

export const FACTS_TIMEOUT_MS = 30_000;

/**
 * Facts about a host in one round trip: one exec of one script, parsed here. Runs as the login user
 * (nothing in it needs root). Throws SshError when the host can't be reached; a script that does
 * not finish is an Error naming the host.
 */
export async function gatherFacts(host: RemoteHost, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<HostFacts> {
  const result = await host.exec(FACTS_SCRIPT, {
    keepShell: true,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? FACTS_TIMEOUT_MS,
    audit: { script: "facts (one script: OS, kernel, libc, init, cgroup, installed runtime)", quiet: true },
  });
  try {
    return parseFacts(result.stdout);
  } catch (error) {
    const { address, port, username } = host.target;
    throw new Error(
      `facts from ${address}:${port} (user ${username}) could not be read: ${(error as Error).message}; exit ${result.code}, stderr: ${result.stderr.slice(-500)}`,
      { cause: error },
    );
  }
}

/** The script as gatherFacts sends it (for the audit log and for recording fixtures). */
export const FACTS_COMMAND = FACTS_SCRIPT;
