import "server-only";
import { quote } from "../ssh/quote";

// What a probe command's output depends on, read with shell builtins only (read, case, test, for, glob):
// no process starts, so reading them costs next to nothing even on an emulated host where each tool
// start costs 30-150 ms (bench/health). A health scan compares them with the inputs recorded beside the
// command's last output and runs the command again only when they changed (batch.ts); the wizard's
// verify always runs every command. An inputs snippet therefore must capture EVERYTHING the output
// depends on, or set np_run=1 ("cannot tell: run it"). Every snippet also starts from the boot id, so
// a reboot runs everything again.
//
// Convention: a snippet appends to $np_in and may set np_run=1; its own variables start with np_.
// batch.test.ts runs every snippet of the catalog in dash with an empty PATH: a process start fails there.

/** The output depends on nothing that can change while the host stays up (the running kernel's built-ins). */
export const SAME_BOOT = ":";

/** The /proc/modules lines of these modules (what lsmod prints of them), load address left out. */
export function moduleLines(names: readonly string[], file = "/proc/modules"): string {
  for (const n of names) if (!/^[a-z0-9_]+$/.test(n)) throw new Error(`module name ${n} is not a plain name`);
  const f = quote(file);
  return (
    `if [ -r ${f} ]; then while read -r np_n np_s np_u np_b np_st np_x; do case $np_n in ${names.join("|")}) np_in="$np_in$np_n $np_s $np_u $np_b $np_st;";; esac; done < ${f}; ` +
    `else np_in="$np_in<no module list>"; fi`
  );
}

/** Whole lines of a file, exactly (a last line without a newline stays so), or why it cannot be read. */
export function fileContent(path: string, only?: string): string {
  const p = quote(path);
  const keep = only === undefined ? `np_in="$np_in$np_l\n"` : `case $np_l in *${quote(only)}*) np_in="$np_in$np_l\n";; esac`;
  return (
    `if [ -f ${p} ] && [ -r ${p} ]; then np_in="$np_in<file>"; while IFS= read -r np_l; do ${keep}; done < ${p}; np_in="$np_in<eof>$np_l"; ` +
    `elif [ -e ${p} ]; then np_run=1; else np_in="$np_in<absent>"; fi`
  );
}

/** Values of kernel parameters as /proc/sys holds them (what sysctl prints), or that they are missing. */
export function procValues(paths: readonly string[]): string {
  return `for np_f in ${paths.map(quote).join(" ")}; do if [ -r "$np_f" ]; then read -r np_v < "$np_f"; np_in="$np_in$np_f=$np_v;"; else np_in="$np_in$np_f missing;"; fi; done`;
}

/** The names in a directory (what a plain ls prints), or that it is not there. */
export function dirNames(dir: string): string {
  const d = quote(dir);
  return `if [ -d ${d} ]; then np_in="$np_in<dir>"; for np_f in ${d}/*; do np_in="$np_in\${np_f##*/}/"; done; elif [ -e ${d} ]; then np_run=1; else np_in="$np_in<absent>"; fi`;
}

/**
 * Run the command whenever any of these paths exists: a binary's --version or a daemon's answer
 * cannot be told from builtins. When none exists the answer ("not found") cannot change.
 */
export function runWhenPresent(paths: readonly string[]): string {
  return `for np_f in ${paths.map(quote).join(" ")}; do if [ -e "$np_f" ] || [ -L "$np_f" ]; then np_run=1; fi; done`;
}

// Where systemd looks for unit files (systemd.unit(5), "System Unit Search Path").
export const UNIT_DIRS = [
  "/etc/systemd/system.control",
  "/run/systemd/system.control",
  "/run/systemd/transient",
  "/run/systemd/generator.early",
  "/etc/systemd/system",
  "/etc/systemd/system.attached",
  "/run/systemd/system",
  "/run/systemd/system.attached",
  "/run/systemd/generator",
  "/usr/local/lib/systemd/system",
  "/lib/systemd/system",
  "/usr/lib/systemd/system",
  "/run/systemd/generator.late",
];

/** Where systemd keeps a service's processes: its cgroup in v2, then in v1's named systemd hierarchy. */
function serviceCgroups(unit: string): string[] {
  if (!/^[a-z0-9@_.-]+\.service$/.test(unit)) throw new Error(`unit ${unit} is not a plain service name`);
  return [`/sys/fs/cgroup/system.slice/${unit}`, `/sys/fs/cgroup/systemd/system.slice/${unit}`];
}

/**
 * A unit systemd has no file for and no cgroup of is "inactive, not found": run systemctl only when
 * the host has either.
 */
export function unitPresence(unit: string): string {
  return runWhenPresent([...serviceCgroups(unit), ...UNIT_DIRS.map((d) => `${d}/${unit}`)]);
}

/**
 * A binary's identity while a service runs it: the process (pid and start time) whose executable is
 * that very file (`-ef`: same device and inode). Linux refuses writes to an executable a process runs
 * (ETXTBSY) and a file put in its place is another inode, so while the same process runs it, its
 * content is the same. When no process of the service runs it, the command runs (the file may have
 * changed). `binary` may be a name looked up through PATH, as the command itself would.
 */
export function runningBinary(binary: string, unit: string, procs = serviceCgroups(unit).map((d) => `${d}/cgroup.procs`)): string {
  if (!binary.startsWith("/") && !/^[a-z0-9_.-]+$/.test(binary)) throw new Error(`program ${binary} is not a plain name`);
  const find = binary.startsWith("/")
    ? `np_bin=${quote(binary)}`
    : `np_bin=; np_ifs=$IFS; IFS=:; for np_d in $PATH; do if [ -z "$np_bin" ] && [ -x "$np_d/${binary}" ]; then np_bin="$np_d/${binary}"; fi; done; IFS=$np_ifs`;
  return [
    find,
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; the start time is the 20th field after "(comm) ".
    `np_pin=; for np_f in ${procs.map(quote).join(" ")}; do if [ -z "$np_pin" ] && [ -n "$np_bin" ] && [ -r "$np_f" ]; then ` +
      `while read -r np_pid; do if [ -z "$np_pin" ] && [ "/proc/$np_pid/exe" -ef "$np_bin" ] && read -r np_st < "/proc/$np_pid/stat"; then ` +
      `np_st=\${np_st##*) }; set -- $np_st; np_pin="$np_pid@\${20}"; fi; done < "$np_f"; fi; done`,
    `if [ -n "$np_pin" ]; then np_in="$np_in<run by $np_pin>$np_bin;"; elif [ -n "$np_bin" ] && { [ -e "$np_bin" ] || [ -L "$np_bin" ]; }; then np_run=1; else np_in="$np_in<absent>"; fi`,
  ].join("\n");
}

/**
 * Run the command when any path matching these globs exists (a glob that matches nothing stays as
 * written, so the test fails). For listings that print the same while nothing matches.
 */
export function anyExists(globs: readonly string[]): string {
  for (const g of globs) if (!/^\/[A-Za-z0-9/._*-]+$/.test(g)) throw new Error(`${g} is not a plain glob`);
  return `for np_f in ${globs.join(" ")}; do if [ -e "$np_f" ] || [ -L "$np_f" ]; then np_run=1; fi; done`;
}

/** Run the command when what was read so far mentions `word` (something these inputs do not follow). */
export function runWhenRead(word: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(word)) throw new Error(`${word} is not a plain word`);
  return `case $np_in in *${word}*) np_run=1;; esac`;
}

/** Several snippets: the output depends on all of them. */
export const allOf = (...snippets: string[]): string => snippets.join("\n");
