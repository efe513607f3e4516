import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { archOfMachine, ElfError, glibcNeeded, readElf } from "./elf";

// binutils' readelf is the reference: the reader must find exactly the version needs it prints.
function readelfNeeds(file: string): { file: string; versions: string[] }[] {
  const out = execFileSync("readelf", ["-V", "--wide", file], { encoding: "utf8" });
  const section = out.slice(out.indexOf("Version needs section"));
  const needs: { file: string; versions: string[] }[] = [];
  for (const line of section.split("\n")) {
    const f = /Version: \d+\s+File: (\S+)\s+Cnt: \d+/.exec(line);
    if (f) needs.push({ file: f[1], versions: [] });
    const n = /Name: (\S+)\s+Flags:/.exec(line);
    if (n) needs[needs.length - 1].versions.push(n[1]);
  }
  return needs;
}

describe("readElf", () => {
  it.each(["/usr/bin/ls", "/usr/bin/ssh", "/usr/bin/qemu-img"])("reads the version needs readelf prints for %s", (file) => {
    const info = readElf(fs.readFileSync(file));
    expect(info.machine).toBe("x86-64");
    expect(info.bits).toBe(64);
    expect(info.needs).toEqual(readelfNeeds(file));
    expect(info.needs.map((n) => n.file)).toContain("libc.so.6");
  });

  it("finds no version needs in a static binary (busybox-static)", () => {
    const info = readElf(fs.readFileSync("/bin/busybox"));
    expect(info.needs).toEqual([]);
    expect(glibcNeeded([info])).toBeNull();
  });

  it("refuses what is not an ELF file, and a cut-off one", () => {
    expect(() => readElf(Buffer.from("#!/bin/sh\necho hi\n".padEnd(80, " ")))).toThrow(ElfError);
    expect(() => readElf(fs.readFileSync("/usr/bin/ls").subarray(0, 4096))).toThrow(/past the end/);
  });
});

describe("glibcNeeded", () => {
  const info = (...versions: string[]) => ({ machine: "x86-64", bits: 64 as const, needs: [{ file: "libc.so.6", versions }] });
  it("is the newest GLIBC_ version over all binaries, as MAJOR.MINOR", () => {
    expect(glibcNeeded([info("GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_2.3.4"), info("GLIBC_2.32")])).toBe("2.34");
    expect(glibcNeeded([info("GLIBC_2.2.5")])).toBe("2.2");
    expect(glibcNeeded([info("GLIBC_2.9"), info("GLIBC_2.17")])).toBe("2.17");
  });
  it("skips GLIBC_PRIVATE and other libraries' versions", () => {
    expect(glibcNeeded([info("GLIBC_PRIVATE", "GLIBC_2.4"), { machine: "x86-64", bits: 64, needs: [{ file: "libseccomp.so.2", versions: ["LIBSECCOMP_9.9"] }] }])).toBe("2.4");
  });
  it("matches the host's own binaries: ls needs a glibc no newer than the one it runs on", () => {
    const host = execFileSync("getconf", ["GNU_LIBC_VERSION"], { encoding: "utf8" }).trim().split(" ")[1];
    const need = glibcNeeded([readElf(fs.readFileSync("/usr/bin/ls"))])!;
    const [a, b] = [need, host].map((v) => v.split(".").map(Number));
    expect(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1])).toBe(true);
  });
});

describe("archOfMachine", () => {
  it.each([["x86-64", "amd64"], ["aarch64", "arm64"], ["arm", null]])("%s -> %s", (m, a) => expect(archOfMachine(m)).toBe(a));
});
