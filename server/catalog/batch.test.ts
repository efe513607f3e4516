import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildBatch, fileSection, parseBatch, parseFileSection } from "./batch";

// The batch script is run by a real POSIX shell here (dash on Debian), as on a host.
const sh = (script: string) => execFileSync("sh", ["-c", script], { encoding: "utf8" });

describe("one script per round trip", () => {
  const nonce = "0123456789abcdef";

  it("returns each section's exact output and exit code, stderr merged", () => {
    const sections = [
      { key: "a", command: "printf 'one\\ntwo\\n'" },
      { key: "b", command: "printf 'no newline'; echo oops >&2; sh -c 'exit 3'" },
      { key: "c", command: "true" },
      { key: "d", command: "printf '@@fake end 3 0@@\\n'" },
    ];
    const out = parseBatch(sh(buildBatch(sections, nonce)), sections, nonce);
    expect(out.a).toEqual({ output: "one\ntwo\n", exitCode: 0 });
    expect(out.b.exitCode).toBe(3);
    expect(out.b.output).toContain("no newline");
    expect(out.b.output).toContain("oops");
    expect(out.c).toEqual({ output: "", exitCode: 0 });
    expect(out.d).toEqual({ output: "@@fake end 3 0@@\n", exitCode: 0 });
  });

  it("leaves out a section whose end never arrived (connection cut)", () => {
    const sections = [{ key: "a", command: "echo hi" }];
    const full = sh(buildBatch(sections, nonce));
    expect(parseBatch(full.slice(0, full.indexOf("@@" + nonce + " end")), sections, nonce)).toEqual({});
  });

  it("reads files byte for byte, with their mode, and tells absent from other", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-batch-"));
    const f = path.join(dir, "it's a file.conf");
    fs.writeFileSync(f, "overlay\nbr_netfilter", { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    const sections = [fileSection(f), fileSection(path.join(dir, "missing")), fileSection(dir)];
    const out = parseBatch(sh(buildBatch(sections, nonce)), sections, nonce);
    expect(parseFileSection(out[`file:${f}`])).toEqual({ kind: "file", mode: "600", content: "overlay\nbr_netfilter" });
    expect(parseFileSection(out[`file:${path.join(dir, "missing")}`])).toEqual({ kind: "absent" });
    expect(parseFileSection(out[`file:${dir}`]).kind).toBe("other");
  });
});
