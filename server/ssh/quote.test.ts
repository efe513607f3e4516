import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { command, quote } from "./quote";

// The proof is the shell itself: `printf %s <quoted>` must print the value back unchanged.
const roundTrip = (value: string) => execFileSync("/bin/sh", ["-c", `printf %s ${quote(value)}`], { encoding: "utf8" });

describe("quote", () => {
  const hostile = [
    "",
    "plain",
    "two words",
    "it's",
    "''",
    "'\\''",
    '"double" quotes',
    "$(touch /tmp/nodeprep-pwned)",
    "`touch /tmp/nodeprep-pwned`",
    "${HOME}",
    "$HOME",
    "a;b && c || d | e > f < g",
    "line1\nline2\n",
    "tab\there",
    "back\\slash\\",
    "*?[a-z]~",
    "-n",
    "ünïcødé ✓",
    "!history",
  ];

  it.each(hostile)("survives the shell unchanged: %j", (value) => {
    expect(roundTrip(value)).toBe(value);
  });

  it("never lets command substitution run", () => {
    expect(roundTrip("$(echo owned)")).toBe("$(echo owned)");
    expect(roundTrip("`echo owned`")).toBe("`echo owned`");
  });

  it("leaves safe words bare and quotes everything else", () => {
    expect(quote("/etc/containerd/config.toml")).toBe("/etc/containerd/config.toml");
    expect(quote("it's")).toBe(`'it'\\''s'`);
    expect(quote("")).toBe("''");
    expect(quote("a b")).toBe("'a b'");
    expect(quote("a\nb")).toBe("'a\nb'");
  });

  it("refuses NUL", () => {
    expect(() => quote("a\0b")).toThrow(/NUL/);
  });

  it("quotes every argument of a command", () => {
    expect(command(["printf", "%s\n", "it's $(x)"])).toBe(`printf '%s\n' 'it'\\''s $(x)'`);
    expect(execFileSync("/bin/sh", ["-c", command(["printf", "%s|", "a b", "`c`", "'d'"])], { encoding: "utf8" })).toBe("a b|`c`|'d'|");
    expect(() => command([])).toThrow();
  });
});
