import "server-only";
import { z } from "zod";
import type { ProbeCheck } from "@/lib/contracts/catalog";
import { parseRuncVersion } from "../parsers/runtime";
import type { Probe, Verdict } from "../types";
import { noAnswer } from "./verdicts";

// Can containerd find runc (training scenario 8)? containerd's runc shim runs "runc" from the PATH it
// inherits from containerd, which systemd gives the service (/proc/<pid>/environ shows it; while
// containerd is not running, the default systemd gives services: `systemd-path
// search-binaries-default`). A runc that answers in a login shell (/etc/profile.d adds its directory)
// can still be missing there: pods then fail with `exec: "runc": executable file not found in $PATH`.
//
// Its variables start with rc_ and it restores IFS: the batch runs sections in brace groups, so what a
// section sets is seen by the next one (batch.ts).
const FIND_RUNC = [
  `rc_pid=$(systemctl show -p MainPID --value containerd 2>/dev/null); rc_path=`,
  `if [ -n "$rc_pid" ] && [ "$rc_pid" != 0 ]; then rc_path=$(tr '\\0' '\\n' < "/proc/$rc_pid/environ" | sed -n 's/^PATH=//p'); echo "containerd runs as pid $rc_pid with PATH=$rc_path"; ` +
    `else rc_path=$(systemd-path search-binaries-default); echo "containerd is not running; systemd starts services with PATH=$rc_path"; fi`,
  `rc_bin=; rc_ifs=$IFS; IFS=:; for rc_d in $rc_path; do if [ -z "$rc_bin" ] && [ -f "$rc_d/runc" ]; then rc_bin=$rc_d/runc; fi; done; IFS=$rc_ifs`,
  `if [ -z "$rc_bin" ]; then echo "no runc in that PATH"; false; elif [ ! -x "$rc_bin" ]; then ls -l "$rc_bin"; false; else echo "$rc_bin"; "$rc_bin" --version; fi`,
].join("\n");

export const RuncLookup = z.object({
  /** The PATH containerd has (or would get from systemd), and whether containerd runs. */
  path: z.string().nullable(),
  containerdRunning: z.boolean(),
  /** Where runc was found in that PATH, or null. */
  found: z.string().nullable(),
  executable: z.boolean(),
  version: z.string().nullable(),
});
export type RuncLookup = z.infer<typeof RuncLookup>;

export function parseRuncLookup(output: string): RuncLookup {
  const lines = output.split("\n");
  const running = /^containerd runs as pid \d+ with PATH=(.*)$/.exec(lines[0] ?? "");
  const stopped = /^containerd is not running; systemd starts services with PATH=(.*)$/.exec(lines[0] ?? "");
  const path = (running ?? stopped)?.[1]?.trim() || null;
  const rest = lines.slice(1);
  const listed = rest.map((l) => /^-\S+\s+\d+\s+\S+\s+\S+\s+\d+\s+.*\s(\/\S+\/runc)$/.exec(l)?.[1]).find(Boolean) ?? null;
  const at = rest.find((l) => /^\/\S*\/runc$/.test(l.trim()))?.trim() ?? null;
  const version = at ? parseRuncVersion(rest.join("\n"))?.version ?? null : null;
  return { path, containerdRunning: running !== null, found: at ?? listed, executable: at !== null, version };
}

export const runcForContainerdProbe: Probe<RuncLookup> = {
  id: "runc-for-containerd",
  title: "runc where containerd looks for it",
  fixStepId: "runc",
  data: RuncLookup,
  // No inputs: which runc answers cannot be told with shell builtins (as for runc-installed).
  commands: [{ key: "lookup", command: FIND_RUNC, helper: true }],
  parse(outputs): Verdict<RuncLookup> {
    const expected = "an executable runc in containerd's PATH that answers --version";
    const out = outputs.lookup;
    if (!out) return noAnswer(expected);
    const r = parseRuncLookup(out.output);
    if (r.path === null) {
      return { status: "unknown", observed: out.output.trim().split("\n")[0] || `exit ${out.exitCode}`, expected, detail: "Could not tell containerd's PATH.", checks: [], data: r };
    }
    const checks: ProbeCheck[] = [
      { name: "containerd's PATH", status: "ok", observed: `${r.path}${r.containerdRunning ? "" : " (systemd's default: containerd is not running)"}`, expected: "a PATH" },
      { name: "runc in that PATH", status: r.found ? "ok" : "fail", observed: r.found ?? "none", expected: "found" },
      { name: "executable", status: r.found ? (r.executable ? "ok" : "fail") : "unknown", observed: r.found ? (r.executable ? "yes" : "no (no x bit)") : "-", expected: "yes" },
      { name: "answers --version", status: r.version ? "ok" : r.found && r.executable ? "fail" : "unknown", observed: r.version ?? "no", expected: "a version" },
    ];
    if (r.found && r.executable && r.version) {
      return { status: "ok", observed: `runc ${r.version} at ${r.found}`, expected, detail: "containerd finds runc on its PATH.", checks, data: r };
    }
    const detail = !r.found
      ? `No runc in any directory of containerd's PATH (${r.path}). A runc elsewhere, even one your shell finds, is not used: containerd fails to start containers with "executable file not found in $PATH". Put runc in /usr/local/sbin (the runc step).`
      : !r.executable
        ? `${r.found} is not executable: chmod 755 ${r.found}, or install runc again (the runc step).`
        : `${r.found} does not run: ${out.output.trim().split("\n").slice(-2).join(" / ")}.`;
    return { status: "fail", observed: !r.found ? "runc is not in containerd's PATH" : !r.executable ? `${r.found} is not executable` : `${r.found} does not run`, expected, detail, checks, data: r };
  },
};
