import "server-only";
import { randomBytes } from "node:crypto";
import { quote } from "../ssh/quote";
import type { CommandOutput, FileState } from "./types";

// All reads of one host in ONE remote script per round trip (design.md): each section prints a
// begin marker, runs in a brace group with stderr merged (as a terminal would show it), then prints an
// end marker with its exit code. The markers carry a random nonce so no output can fake a section.
//
// A brace group, not a subshell: a fork costs about 10 ms on an emulated host and a scan has some 30
// sections (bench/health). So a section must not `exit` (it would end the batch: the sections after it
// are then missing, which the parser reports); the catalog's test checks every command for it.

export interface Section {
  key: string;
  command: string;
  /** A builtin-only snippet that reads what the output depends on (inputs.ts). */
  inputs?: string;
  /** The last output on record with the inputs it was read with: reused when they are the same now. */
  previous?: RecordedOutput;
}

/** An output with the inputs it was produced under. */
export interface RecordedOutput extends CommandOutput {
  inputs: string;
}

// Non-root users lack /sbin in PATH (lsmod, sysctl, modprobe live there on Debian); LC_ALL=C keeps
// tool messages in the English the parsers read.
const PRELUDE = 'PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"; export PATH; LC_ALL=C; export LC_ALL';

export function newNonce(): string {
  return randomBytes(8).toString("hex");
}

// Inputs (inputs.ts) start from the boot id: a reboot runs every command again.
const READ_BOOT = "np_boot=; if [ -r /proc/sys/kernel/random/boot_id ]; then read -r np_boot < /proc/sys/kernel/random/boot_id; fi";

/**
 * The batch: `nodeprep_nonce=<nonce>` on the first line, then the body, which names the nonce only
 * through `$nodeprep_nonce`. So the body is the same text for the same probes (and, in a health scan,
 * the same reused inputs) every time: the audit log stores it once by its hash (server/hosts).
 */
export function buildBatch(sections: Section[], nonce: string): string {
  if (!/^[0-9a-f]{8,}$/.test(nonce)) throw new Error("nonce must be hex");
  return `nodeprep_nonce=${nonce}\n${batchBody(sections)}`;
}

/** The batch without its nonce line (see buildBatch). */
export function batchBody(sections: Section[]): string {
  const lines = [PRELUDE];
  if (sections.some((s) => s.inputs !== undefined)) lines.push(READ_BOOT);
  // Several commands may depend on the same thing (the module probes' three): read it once.
  const snippets = new Map<string, number>();
  sections.forEach((s, i) => {
    lines.push(`printf '%s\\n' "@@$nodeprep_nonce begin ${i}@@"`);
    const run = `{ ${s.command}\n} 2>&1 </dev/null`;
    if (s.inputs === undefined) {
      lines.push(run);
    } else {
      let k = snippets.get(s.inputs);
      if (k === undefined) {
        k = snippets.size;
        snippets.set(s.inputs, k);
        lines.push(`np_in="boot=$np_boot;"; np_run=; { ${s.inputs}\n} </dev/null 2>/dev/null; np_i${k}=$np_in; np_r${k}=$np_run`);
      }
      lines.push(`printf '%s\\n' "$np_i${k}" "@@$nodeprep_nonce inputs ${i}@@"`);
      const same = s.previous ? `[ -z "$np_r${k}" ] && [ "$np_i${k}" = ${quote(s.previous.inputs)} ]` : "false";
      lines.push(`if ${same}; then printf '%s\\n' "@@$nodeprep_nonce same ${i}@@"; else ${run}; fi`);
    }
    lines.push(`printf '\\n@@%s end ${i} %s@@\\n' "$nodeprep_nonce" "$?"`);
  });
  return lines.join("\n") + "\n";
}

/** Split a batch's stdout into each section's exact output (a section that never finished is missing). */
export function parseBatch(stdout: string, sections: Section[], nonce: string): Record<string, CommandOutput> {
  const out: Record<string, CommandOutput> = {};
  let from = 0;
  sections.forEach((s, i) => {
    const begin = `@@${nonce} begin ${i}@@\n`;
    const b = stdout.indexOf(begin, from);
    if (b < 0) return;
    const start = b + begin.length;
    const endRe = new RegExp(`\\n@@${nonce} end ${i} (\\d+)@@\\n`, "g");
    // The end marker starts with the newline we print, so an empty output is "begin\n" + "\n@@end".
    endRe.lastIndex = start;
    const m = endRe.exec(stdout);
    if (!m) return;
    out[s.key] = withInputs(s, i, { output: stdout.slice(start, m.index), exitCode: Number(m[1]) }, nonce);
    from = m.index + m[0].length;
  });
  return out;
}

/** A section with inputs printed them first; when they matched the previous ones the command did not run. */
function withInputs(s: Section, i: number, raw: CommandOutput, nonce: string): CommandOutput {
  if (s.inputs === undefined) return raw;
  const marker = `@@${nonce} inputs ${i}@@\n`;
  const at = raw.output.indexOf(marker);
  if (at < 0) return raw;
  const inputs = raw.output.slice(0, Math.max(0, at - 1));
  const rest = raw.output.slice(at + marker.length);
  if (s.previous && rest === `@@${nonce} same ${i}@@\n`) {
    return { output: s.previous.output, exitCode: s.previous.exitCode, inputs, reused: true };
  }
  return { output: rest, exitCode: raw.exitCode, inputs };
}

/** Reads a file exactly: the first line says what it is, the rest is its content, byte for byte. */
export function fileSection(path: string): Section {
  const p = quote(path);
  // A /proc file (the boot id, the uptime) has no mode worth a stat, and the read builtin starts no
  // process: every health scan reads two of them.
  const read = path.startsWith("/proc/")
    ? `echo file; while IFS= read -r np_l; do printf '%s\\n' "$np_l"; done < ${p}; printf '%s' "$np_l"`
    : `stat -c 'file %a' ${p} && cat ${p}`;
  return {
    key: `file:${path}`,
    command: `if [ -f ${p} ]; then ${read}; elif [ -e ${p} ]; then echo other; else echo absent; fi`,
  };
}

export function parseFileSection(out: CommandOutput | undefined): FileState {
  if (!out) return { kind: "other", detail: "the host did not answer for this file" };
  const nl = out.output.indexOf("\n");
  const head = nl < 0 ? out.output : out.output.slice(0, nl);
  if (head === "absent") return { kind: "absent" };
  // "file" alone: a /proc file, whose mode nobody plans against.
  const m = /^file(?: ([0-7]{3,4}))?$/.exec(head);
  if (m && out.exitCode === 0) return { kind: "file", mode: m[1] ?? "", content: nl < 0 ? "" : out.output.slice(nl + 1) };
  if (head === "other") return { kind: "other", detail: "exists but is not a regular file" };
  return { kind: "other", detail: out.output.trim() || `could not read it (exit ${out.exitCode})` };
}
