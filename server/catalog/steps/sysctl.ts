import "server-only";
import { writeFileIfNeeded } from "../actions";
import { dataOf } from "../data";
import { K8S_SYSCTLS, procSysPath, SYSCTL_FILE, sysctlValuesProbe, WANTED_VALUE } from "../probes/sysctl";
import { bootValuesOf, overridesIn } from "../probes/sysctl-boot";
import type { Action, Step } from "../types";

// Aligned like the seed's file, so an operator comparing the two sees the same text.
const width = Math.max(...K8S_SYSCTLS.map((k) => k.length));
export const SYSCTL_CONTENT = K8S_SYSCTLS.map((k) => `${k.padEnd(width)} = ${WANTED_VALUE}`).join("\n") + "\n";

/** Files the step may edit: the admin's own in /etc/sysctl.d (a package's file is changed by a copy there). */
const OVERRIDABLE = /^\/etc\/sysctl\.d\/[A-Za-z0-9_.-]+\.conf$/;

export const sysctlStep: Step = {
  id: "sysctl",
  title: "sysctl",
  summary: "bridged traffic through iptables, IPv4 forwarding",
  // /proc/sys/net/bridge only exists once br_netfilter is loaded.
  requires: ["module-br-netfilter"],
  observe: { probes: ["sysctl-values", "sysctl-at-boot"], files: [SYSCTL_FILE] },
  plan(_facts, observed) {
    const actions: Action[] = [];
    const notes: string[] = [];
    const write = writeFileIfNeeded(observed.files[SYSCTL_FILE], {
      path: SYSCTL_FILE,
      mode: 0o644,
      content: SYSCTL_CONTENT,
      missing: "the file is missing: the values would be lost at the next reboot",
    });
    if (write) actions.push(write);
    // Another file applied after ours undoes it at every boot (and at every `sysctl --system`).
    for (const o of overridesIn(bootValuesOf(observed.probes["sysctl-at-boot"]) ?? [])) {
      if (!OVERRIDABLE.test(o.file)) {
        notes.push(`${o.file} sets ${o.key} = ${o.value} after ${SYSCTL_FILE}. It belongs to a package: copy it to /etc/sysctl.d/ under the same name (that copy hides it) and change the line there.`);
        continue;
      }
      actions.push({
        kind: "run-command",
        argv: ["sed", "-i", "-E", `s/^[[:space:]]*-?${o.key.replace(/\./g, "[./]")}[[:space:]]*=.*/# & (commented out: Kubernetes needs ${WANTED_VALUE})/`, o.file],
        reason: `${o.file} sets ${o.key} = ${o.value} and is applied after ${SYSCTL_FILE} (files apply in name order, the last wins): comment that line out`,
        // Needed while the value is not 1 (the line, once commented out, no longer matches anyway).
        when: { unless: { read: [procSysPath(o.key)], equals: WANTED_VALUE } },
      });
    }
    const live = observed.probes[sysctlValuesProbe.id];
    const values = dataOf(sysctlValuesProbe, live)?.values;
    // Not checked at all: apply. Checked without an answer: only a new file is a reason to apply.
    const notOne = !live ? [...K8S_SYSCTLS] : values ? K8S_SYSCTLS.filter((k) => values[k] !== WANTED_VALUE) : [];
    if (write || notOne.length > 0 || actions.length > 0) {
      actions.push({
        kind: "run-command",
        argv: ["sysctl", "--system"],
        reason: notOne.length ? `not 1 right now: ${notOne.join(", ")}` : "load the new file now, without a reboot",
        timeoutMs: 60_000,
        when: { changed: [SYSCTL_FILE], unless: { read: K8S_SYSCTLS.map(procSysPath), equals: WANTED_VALUE } },
      });
    }
    return { actions, notes };
  },
  verify: ["sysctl-values", "sysctl-persisted", "sysctl-at-boot"],
};
