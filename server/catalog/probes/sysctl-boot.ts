import "server-only";
import { z } from "zod";
import type { ProbeCheck, ProbeResult } from "@/lib/contracts/catalog";
import { dataOf } from "../data";
import { parseSysctlConf } from "../parsers/sysctl";
import type { Probe, Verdict } from "../types";
import { noAnswer } from "./verdicts";
import { K8S_SYSCTLS, SYSCTL_FILE, WANTED_VALUE } from "./sysctl";

// What the kernel parameters will be after the next boot, from EVERY sysctl.d file (training
// scenario 3): /etc/sysctl.d/k8s.conf can say 1 while another file says 0 and wins. systemd-sysctl reads the
// *.conf files of these directories sorted by file name, whatever directory they are in; a name in an
// earlier directory hides the same name in a later one; for a key set twice, the file sorted last wins
// (sysctl.d(5)). So `network-hardening.conf` beats `k8s.conf`, while `99-zz-hardening.conf` does not:
// digits sort before letters. Debian's /etc/sysctl.conf is read at boot through its symlink
// /etc/sysctl.d/99-sysctl.conf, so it is in the list like any other file.
export const SYSCTL_DIRS = ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"] as const;
const GLOBS = SYSCTL_DIRS.map((d) => `${d}/*.conf`).join(" ");
/** A sysctl.d line setting one of the three keys ("-" prefix and "/" separators allowed). */
const KEY_LINE = "^[[:space:]]*-?net[./](bridge[./]bridge-nf-call-ip6?tables|ipv4[./]ip_forward)[[:space:]]*=";

// What both outputs depend on, read with builtins only (inputs.ts): each file's name and its lines
// mentioning "net". An unmatched glob stays as written, which is neither a file nor there.
const FILES_AND_NET_LINES =
  `for np_f in ${GLOBS}; do if [ -f "$np_f" ] && [ -r "$np_f" ]; then np_in="$np_in<$np_f>"; ` +
  `while IFS= read -r np_l || [ -n "$np_l" ]; do case $np_l in *net*) np_in="$np_in$np_l;";; esac; done < "$np_f"; ` +
  `elif [ -e "$np_f" ]; then np_run=1; fi; done`;

/** The bridge values are the module's default (1) when no file sets them; ip_forward's default is 0. */
const KERNEL_DEFAULT: Record<string, string> = {
  "net.bridge.bridge-nf-call-iptables": "1",
  "net.bridge.bridge-nf-call-ip6tables": "1",
  "net.ipv4.ip_forward": "0",
};

/** The files systemd-sysctl reads, in the order it applies them (later wins). */
export function bootOrder(paths: readonly string[]): string[] {
  const byName = new Map<string, string>();
  const rank = (p: string) => SYSCTL_DIRS.findIndex((d) => p.startsWith(`${d}/`));
  for (const p of paths) {
    if (rank(p) < 0 || !p.endsWith(".conf")) continue;
    const name = p.slice(p.lastIndexOf("/") + 1);
    const seen = byName.get(name);
    if (!seen || rank(p) < rank(seen)) byName.set(name, p);
  }
  // Byte order, as systemd's strcmp.
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
}

export const BootValue = z.object({
  key: z.string(),
  value: z.string(),
  /** The file whose line wins, or null: no file sets it (the kernel's default). */
  file: z.string().nullable(),
  /** Every file that sets it, in the order they apply. */
  setBy: z.array(z.object({ file: z.string(), value: z.string() })),
});
export type BootValue = z.infer<typeof BootValue>;

export const SysctlAtBootData = z.object({ values: z.array(BootValue) });
export type SysctlAtBootData = z.infer<typeof SysctlAtBootData>;

/** `grep -H` lines ("path:key = value") applied in boot order. */
export function bootValues(files: string, lines: string): BootValue[] {
  const order = bootOrder(files.split("\n").map((l) => l.trim()).filter(Boolean));
  const perFile = new Map<string, Map<string, string>>();
  for (const line of lines.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const file = line.slice(0, colon);
    const conf = parseSysctlConf(line.slice(colon + 1));
    const mine = perFile.get(file) ?? new Map<string, string>();
    for (const [k, v] of conf) mine.set(k, v);
    perFile.set(file, mine);
  }
  return K8S_SYSCTLS.map((key) => {
    const setBy = order.flatMap((file) => {
      const v = perFile.get(file)?.get(key);
      return v === undefined ? [] : [{ file, value: v }];
    });
    const last = setBy.at(-1);
    return { key, value: last?.value ?? KERNEL_DEFAULT[key], file: last?.file ?? null, setBy };
  });
}

export const sysctlAtBootProbe: Probe<SysctlAtBootData> = {
  id: "sysctl-at-boot",
  title: "parameters at boot (every sysctl.d file)",
  fixStepId: "sysctl",
  data: SysctlAtBootData,
  commands: [
    // Listed with builtins (no process): a glob that matches nothing stays as written and is not there.
    { key: "files", command: `for f in ${GLOBS}; do if [ -e "$f" ]; then echo "$f"; fi; done`, inputs: FILES_AND_NET_LINES, helper: true },
    // -s: a directory this host does not have (/run/sysctl.d) is no error to show; grep then exits 2.
    { key: "lines", command: `grep -sHE '${KEY_LINE}' ${GLOBS}`, inputs: FILES_AND_NET_LINES },
  ],
  parse(outputs): Verdict<SysctlAtBootData> {
    const expected = `all three are ${WANTED_VALUE} after a boot: no sysctl.d file that sorts after ${SYSCTL_FILE} undoes it`;
    const files = outputs.files;
    const lines = outputs.lines;
    if (!files || !lines) return noAnswer(expected);
    const values = bootValues(files.output, lines.output);
    const data = { values };
    const checks: ProbeCheck[] = values.map((v) => ({
      name: v.key,
      status: v.value === WANTED_VALUE ? "ok" : "fail",
      observed: v.file ? `${v.value} (${v.file})` : `${v.value} (no file sets it: the kernel's default)`,
      expected: WANTED_VALUE,
    }));
    const bad = values.filter((v) => v.value !== WANTED_VALUE);
    if (bad.length === 0) {
      return { status: "ok", observed: checks.map((c) => `${c.name} = ${c.observed}`).join(", "), expected, detail: "Every file applied at boot leaves the three at 1.", checks, data };
    }
    const overridden = bad.filter((v) => v.file !== null && v.setBy.some((s) => s.value === WANTED_VALUE));
    const detail = overridden.length
      ? `${overridden.map((v) => `${v.file} sets ${v.key} = ${v.value} and is applied after ${v.setBy.find((s) => s.value === WANTED_VALUE)!.file}`).join("; ")}. ` +
        "systemd-sysctl applies the files sorted by name, the last one wins: change that file, or name yours so that it sorts after it."
      : `Not ${WANTED_VALUE} after a boot: ${bad.map((v) => `${v.key} (${v.file ?? "no file sets it"})`).join(", ")}. Set them in ${SYSCTL_FILE}.`;
    return { status: "fail", observed: checks.map((c) => `${c.name} = ${c.observed}`).join(", "), expected, detail, checks, data };
  },
};

/** The boot values a result of this probe was judged from (its typed data): what the sysctl step plans against. */
export function bootValuesOf(result: ProbeResult | undefined): BootValue[] | null {
  return dataOf(sysctlAtBootProbe, result)?.values ?? null;
}

/**
 * Lines in files applied after `SYSCTL_FILE` at boot that set a key to something else: they undo the
 * step's file at every boot (and at every `sysctl --system`), whether that file exists yet or not.
 */
export function overridesIn(values: readonly BootValue[]): { key: string; file: string; value: string }[] {
  const ours = SYSCTL_FILE.slice(SYSCTL_FILE.lastIndexOf("/") + 1);
  const after = (file: string) => file.slice(file.lastIndexOf("/") + 1) > ours;
  return values.flatMap((v) => v.setBy.filter((s) => s.file !== SYSCTL_FILE && after(s.file) && s.value !== WANTED_VALUE).map((s) => ({ key: v.key, file: s.file, value: s.value })));
}
