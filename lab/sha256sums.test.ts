import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatSha256Sums, parseSha256Sums, writeSha256Sums } from "./sha256sums";

describe("SHA256SUMS", () => {
  it("writes what `sha256sum -c` accepts, sorted by name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sums-"));
    fs.writeFileSync(path.join(dir, "runc.amd64"), "runc bytes\n");
    fs.writeFileSync(path.join(dir, "containerd-1.6.20-linux-amd64.tar.gz"), Buffer.from([0, 1, 2, 255]));
    const text = await writeSha256Sums([path.join(dir, "runc.amd64"), path.join(dir, "containerd-1.6.20-linux-amd64.tar.gz")]);
    expect(text.split("\n")[0]).toMatch(/^[0-9a-f]{64}  containerd-1\.6\.20-linux-amd64\.tar\.gz$/);
    fs.writeFileSync(path.join(dir, "SHA256SUMS"), text);
    const out = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
    expect(out).toContain("runc.amd64: OK");
    expect(out).toContain("containerd-1.6.20-linux-amd64.tar.gz: OK");
    // and the real tool agrees byte for byte
    const theirs = execFileSync("sha256sum", ["containerd-1.6.20-linux-amd64.tar.gz", "runc.amd64"], { cwd: dir, encoding: "utf8" });
    expect(text).toBe(theirs);
  });

  it("round-trips through the parser, including sha256sum's binary marker", () => {
    const a = "a".repeat(64);
    const b = "b".repeat(64);
    const parsed = parseSha256Sums(`${a}  one\n${b} *two\n`);
    expect(parsed.get("one")).toBe(a);
    expect(parsed.get("two")).toBe(b);
    expect(parseSha256Sums(formatSha256Sums([{ name: "x", sha256: a }])).get("x")).toBe(a);
  });

  it("refuses bad digests, paths and malformed lines", () => {
    expect(() => formatSha256Sums([{ name: "x", sha256: "abc" }])).toThrow(/not a sha256/);
    expect(() => formatSha256Sums([{ name: "../etc/passwd", sha256: "a".repeat(64) }])).toThrow(/plain file names/);
    expect(() => formatSha256Sums([{ name: "a b", sha256: "a".repeat(64) }])).toThrow(/plain file names/);
    expect(() => parseSha256Sums("nonsense\n")).toThrow(/malformed/);
  });
});
