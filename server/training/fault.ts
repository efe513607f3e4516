import "server-only";

// A scenario's fault: its root commands as one script that names the command that failed.

export const FAULT_MARKER = /\n?@@nodeprep-fault (\d+) (\d+)@@\n?/;

/**
 * The fault's commands as ONE root script (one exec instead of one per command: each costs a channel
 * and a sudo, about half a second on an emulated node). It stops at the first command that fails and
 * says which, so the error names it.
 */
export function faultScript(commands: readonly string[]): string {
  return commands.map((c, i) => `{ ${c}\n} || { np_rc=$?; printf '\\n@@nodeprep-fault %s %s@@\\n' ${i} "$np_rc" >&2; exit "$np_rc"; }`).join("\n") + "\n";
}

export function failedFaultCommand(output: string): { index: number; code: number } | null {
  const m = FAULT_MARKER.exec(output);
  return m ? { index: Number(m[1]), code: Number(m[2]) } : null;
}
