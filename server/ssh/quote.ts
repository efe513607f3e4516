import "server-only";

/**
 * The one quoting helper for values that enter a POSIX shell command line (design.md convention 3).
 * Wraps the value in single quotes, in which the shell interprets nothing, and spells a single quote
 * as `'\''` (close, escaped quote, reopen). NUL cannot be passed through argv at all, so it is refused
 * rather than silently truncating the value on the remote side.
 */
export function quote(value: string): string {
  if (typeof value !== "string") throw new TypeError("quote() takes a string");
  if (value.includes("\0")) throw new Error("cannot quote a value containing a NUL byte");
  if (value !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Quote each argument and join them: `command(["echo", userText])`. */
export function command(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("command() needs at least the program name");
  return argv.map(quote).join(" ");
}
