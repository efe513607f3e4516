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
}

// Non-root users lack /sbin in PATH (lsmod, sysctl, modprobe live there on Debian); LC_ALL=C keeps
// tool messages in the English the parsers read.
const PRELUDE = 'PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"; export PATH; LC_ALL=C; export LC_ALL';

export function newNonce(): string {
  return randomBytes(8).toString("hex");
}

export function buildBatch(sections: Section[], nonce: string): string {
  if (!/^[0-9a-f]{8,}$/.test(nonce)) throw new Error("nonce must be hex");
  const lines = [PRELUDE];
  sections.forEach((s, i) => {
    lines.push(`printf '%s\\n' '@@${nonce} begin ${i}@@'`);
    lines.push(`{ ${s.command}\n} 2>&1 </dev/null`);
    lines.push(`printf '\\n@@${nonce} end ${i} %s@@\\n' "$?"`);
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
    out[s.key] = { output: stdout.slice(start, m.index), exitCode: Number(m[1]) };
    from = m.index + m[0].length;
  });
  return out;
}

/** Reads a file exactly: the first line says what it is, the rest is its content, byte for byte. */
export function fileSection(path: string): Section {
  const p = quote(path);
  return {
    key: `file:${path}`,
    command: `if [ -f ${p} ]; then stat -c 'file %a' ${p} && cat ${p}; elif [ -e ${p} ]; then echo other; else echo absent; fi`,
  };
}

export function parseFileSection(out: CommandOutput | undefined): FileState {
  if (!out) return { kind: "other", detail: "the host did not answer for this file" };
  const nl = out.output.indexOf("\n");
  const head = nl < 0 ? out.output : out.output.slice(0, nl);
  if (head === "absent") return { kind: "absent" };
  const m = /^file ([0-7]{3,4})$/.exec(head);
  if (m && out.exitCode === 0) return { kind: "file", mode: m[1], content: nl < 0 ? "" : out.output.slice(nl + 1) };
  if (head === "other") return { kind: "other", detail: "exists but is not a regular file" };
  return { kind: "other", detail: out.output.trim() || `could not read it (exit ${out.exitCode})` };
}
