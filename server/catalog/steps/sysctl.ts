import "server-only";
import { writeFileIfNeeded } from "../actions";
import { dataOf } from "../data";
import { K8S_SYSCTLS, procSysPath, SYSCTL_FILE, sysctlValuesProbe, WANTED_VALUE } from "../probes/sysctl";
import type { Action, Step } from "../types";

// Aligned like the seed's file, so an operator comparing the two sees the same text.
const width = Math.max(...K8S_SYSCTLS.map((k) => k.length));
export const SYSCTL_CONTENT = K8S_SYSCTLS.map((k) => `${k.padEnd(width)} = ${WANTED_VALUE}`).join("\n") + "\n";

export const sysctlStep: Step = {
  id: "sysctl",
  title: "sysctl",
  summary: "bridged traffic through iptables, IPv4 forwarding",
  // /proc/sys/net/bridge only exists once br_netfilter is loaded.
  requires: ["module-br-netfilter"],
  observe: { probes: ["sysctl-values"], files: [SYSCTL_FILE] },
  plan(_facts, observed) {
    const actions: Action[] = [];
    const write = writeFileIfNeeded(observed.files[SYSCTL_FILE], {
      path: SYSCTL_FILE,
      mode: 0o644,
      content: SYSCTL_CONTENT,
      missing: "the file is missing: the values would be lost at the next reboot",
    });
    if (write) actions.push(write);
    const live = observed.probes[sysctlValuesProbe.id];
    const values = dataOf(sysctlValuesProbe, live)?.values;
    // Not checked at all: apply. Checked without an answer: only a new file is a reason to apply.
    const notOne = !live ? [...K8S_SYSCTLS] : values ? K8S_SYSCTLS.filter((k) => values[k] !== WANTED_VALUE) : [];
    if (write || notOne.length > 0) {
      actions.push({
        kind: "run-command",
        argv: ["sysctl", "--system"],
        reason: notOne.length ? `not 1 right now: ${notOne.join(", ")}` : "load the new file now, without a reboot",
        timeoutMs: 60_000,
        when: { changed: [SYSCTL_FILE], unless: { read: K8S_SYSCTLS.map(procSysPath), equals: WANTED_VALUE } },
      });
    }
    return { actions, notes: [] };
  },
  verify: ["sysctl-values", "sysctl-persisted"],
};
