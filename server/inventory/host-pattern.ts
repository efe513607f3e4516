import "server-only";
import { InventoryError } from "./model";

// Host patterns as ansible-core expands them (plugins/inventory/__init__.py expand_hostname_range and
// parsing/utils/addresses.py parse_address): `web[01:03].example.com`, `db-[a:c]`, `[01:10:2]`,
// `host:2222`, `[2001:db8::1]:2222`.

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** A sane bound: a typo like [1:99999999] must not exhaust memory. */
export const MAX_EXPANDED_HOSTS = 20_000;

export function expandRange(pattern: string): string[] {
  const open = pattern.indexOf("[");
  if (open < 0) return [pattern];
  const close = pattern.indexOf("]", open);
  if (close < 0) throw new InventoryError(`host pattern ${pattern}: '[' without ']'`);
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = pattern.slice(open + 1, close).split(":");
  if (bounds.length !== 2 && bounds.length !== 3) throw new InventoryError(`host pattern ${pattern}: a range is begin:end or begin:end:step`);
  const beg = bounds[0] || "0";
  const end = bounds[1];
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end) throw new InventoryError(`host pattern ${pattern}: a range needs an end`);
  if (!Number.isInteger(step) || step < 1) throw new InventoryError(`host pattern ${pattern}: the step must be a positive whole number`);
  let seq: string[];
  const ib = LETTERS.indexOf(beg);
  const ie = LETTERS.indexOf(end);
  if (beg.length === 1 && end.length === 1 && ib >= 0 && ie >= 0) {
    if (ib > ie) throw new InventoryError(`host pattern ${pattern}: the range must have begin <= end`);
    seq = [];
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw new InventoryError(`host pattern ${pattern}: a range is numbers or single letters`);
    const width = beg[0] === "0" && beg.length > 1 ? beg.length : 0;
    if (width && width !== end.length) throw new InventoryError(`host pattern ${pattern}: zero-padded begin and end must have the same length`);
    const b = Number(beg);
    const e = Number(end);
    if ((e - b) / step > MAX_EXPANDED_HOSTS) throw new InventoryError(`host pattern ${pattern}: more than ${MAX_EXPANDED_HOSTS} hosts`);
    seq = [];
    for (let i = b; i <= e; i += step) seq.push(width ? String(i).padStart(width, "0") : String(i));
  }
  const out = seq.flatMap((x) => expandRange(`${head}${x}${tail}`));
  if (out.length > MAX_EXPANDED_HOSTS) throw new InventoryError(`host pattern ${pattern}: more than ${MAX_EXPANDED_HOSTS} hosts`);
  return out;
}

/** Split `host:port` (the port applies to every host of the pattern); IPv6 addresses keep their colons. */
export function splitPort(pattern: string): { pattern: string; port: number | null } {
  const bracketed = /^\[([^\]]*:[^\]]*)\](?::(\d+))?$/.exec(pattern);
  if (bracketed && bracketed[1].includes(":")) return { pattern: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : null };
  // Colons outside [...] ranges: exactly one means host:port; more means a bare IPv6 address.
  const outside = pattern.replace(/\[[^\]]*\]/g, (m) => "_".repeat(m.length));
  const colons = [...outside].filter((c) => c === ":").length;
  if (colons === 1) {
    const at = outside.indexOf(":");
    const port = pattern.slice(at + 1);
    if (port === "") throw new InventoryError(`host pattern ${pattern}: ends in ':' (a ':' introduces a port)`);
    if (/^\d+$/.test(port)) return { pattern: pattern.slice(0, at), port: Number(port) };
  }
  return { pattern, port: null };
}

export function expandHostPattern(text: string): { hosts: string[]; port: number | null } {
  const { pattern, port } = splitPort(text.trim());
  // A bare IPv6 address has no ranges; anything else with '[' is one.
  const isIpv6 = /^[0-9A-Fa-f:.]+$/.test(pattern) && pattern.includes("::");
  return { hosts: isIpv6 ? [pattern] : expandRange(pattern), port };
}
