import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildBatch, fileSection, parseBatch, parseFileSection, type Section } from "./batch";
import { probes } from "./index";
import { dirNames, fileContent, moduleLines, runningBinary } from "./inputs";

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

describe("a command runs again only when its inputs changed", () => {
  const nonce = "0123456789abcdef";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-inputs-"));
  const conf = path.join(dir, "k8s.conf");
  // The command leaves a trace, so the test sees whether it ran, not only what the parser returned.
  const trace = path.join(dir, "ran");
  const section = (previous?: Section["previous"]): Section => ({
    key: "cat",
    command: `echo x >> '${trace}'; cat '${conf}'`,
    inputs: fileContent(conf),
    previous,
  });
  const scan = (s: Section) => parseBatch(sh(buildBatch([s], nonce)), [s], nonce).cat;
  const runs = () => (fs.existsSync(trace) ? fs.readFileSync(trace, "utf8").split("\n").filter(Boolean).length : 0);

  it("runs it the first time and returns the inputs it was run under", () => {
    fs.writeFileSync(conf, "overlay\nbr_netfilter");
    const first = scan(section());
    expect(first).toMatchObject({ output: "overlay\nbr_netfilter", exitCode: 0 });
    expect(first.reused).toBeUndefined();
    expect(first.inputs).toContain("<file>overlay\n<eof>br_netfilter");
    expect(runs()).toBe(1);
  });

  it("reuses the previous output while the inputs are the same, and runs again once they differ", () => {
    fs.writeFileSync(conf, "overlay\n");
    const first = scan(section());
    const before = runs();
    const second = scan(section({ ...first, inputs: first.inputs! }));
    expect(second).toMatchObject({ output: "overlay\n", exitCode: 0, reused: true, inputs: first.inputs });
    expect(runs()).toBe(before);

    fs.writeFileSync(conf, "overlay\nbr_netfilter\n");
    const third = scan(section({ ...first, inputs: first.inputs! }));
    expect(third.reused).toBeUndefined();
    expect(third.output).toBe("overlay\nbr_netfilter\n");
    expect(runs()).toBe(before + 1);
  });

  it("runs it when the inputs cannot tell (np_run), and when a reboot changed the boot id", () => {
    const s: Section = { key: "cat", command: "echo ran", inputs: "np_run=1" };
    const first = scan(s);
    expect(scan({ ...s, previous: { ...first, output: "old", inputs: first.inputs! } })).toMatchObject({ output: "ran\n" });
    // The recorded inputs of another boot never match.
    const other: Section = { key: "cat", command: "echo ran", inputs: fileContent(conf) };
    const now = scan(other);
    const stale = now.inputs!.replace(/^boot=[^;]*;/, "boot=another-boot;");
    expect(scan({ ...other, previous: { output: "old", exitCode: 0, inputs: stale } }).output).toBe("ran\n");
  });

  it("reads directories and /proc/modules lines like ls and lsmod see them", () => {
    fs.mkdirSync(path.join(dir, "bin"));
    for (const f of ["loopback", "bridge"]) fs.writeFileSync(path.join(dir, "bin", f), "");
    const ls: Section = { key: "cat", command: "true", inputs: dirNames(path.join(dir, "bin")) };
    expect(scan(ls).inputs).toMatch(/<dir>bridge\/loopback\/$/);
    expect(scan({ ...ls, inputs: dirNames(path.join(dir, "none")) }).inputs).toMatch(/<absent>$/);
    // A practice node's /proc/modules (addresses zeroed): the lines of the two modules, nothing else.
    const modules = path.join(__dirname, "fixtures", "debian12-proc-modules.txt");
    expect(scan({ ...ls, inputs: moduleLines(["overlay", "br_netfilter"], modules) }).inputs).toMatch(
      /;overlay \d+ 0 - Live;br_netfilter \d+ 0 - Live;$|;br_netfilter \d+ 0 - Live;overlay \d+ 0 - Live;$/,
    );
  });

  it("a binary a service runs is pinned by that process; replaced, or not running, the command runs", async () => {
    // A copy of sleep stands for containerd, its pid in a file standing for the service's cgroup.procs.
    const daemon = path.join(dir, "daemon");
    const procs = path.join(dir, "cgroup.procs");
    fs.copyFileSync("/bin/sleep", daemon);
    fs.chmodSync(daemon, 0o755);
    const child = spawn(daemon, ["60"], { stdio: "ignore" });
    try {
      fs.writeFileSync(procs, `${child.pid}\n`);
      const s: Section = { key: "cat", command: "echo ran", inputs: runningBinary(daemon, "containerd.service", [procs]) };
      const first = scan(s);
      expect(first.inputs).toMatch(new RegExp(`<run by ${child.pid}@\\d+>${daemon};$`));
      expect(scan({ ...s, previous: { output: "old", exitCode: 0, inputs: first.inputs! } })).toMatchObject({ output: "old", reused: true });
      // Installed anew (another inode at the same path) while the old process still runs: it runs.
      fs.copyFileSync("/bin/sleep", `${daemon}.new`);
      fs.renameSync(`${daemon}.new`, daemon);
      const replaced = scan({ ...s, previous: { output: "old", exitCode: 0, inputs: first.inputs! } });
      expect(replaced).toMatchObject({ output: "ran\n" });
      expect(replaced.reused).toBeUndefined();
    } finally {
      child.kill();
    }
    // No process runs it (stopped service): the file may change at any time, so it runs.
    fs.writeFileSync(procs, "");
    const stopped: Section = { key: "cat", command: "echo ran", inputs: runningBinary(daemon, "containerd.service", [procs]) };
    const now = scan(stopped);
    expect(scan({ ...stopped, previous: { output: "old", exitCode: 0, inputs: now.inputs! } }).output).toBe("ran\n");
  });

  it("every inputs snippet of the catalog starts no process (dash, empty PATH) and ends with exit 0", () => {
    const snippets = new Set([...probes.values()].flatMap((p) => p.commands.flatMap((c) => (c.inputs ? [c.inputs] : []))));
    expect(snippets.size).toBeGreaterThan(6);
    for (const snippet of snippets) {
      const r = spawnSync("sh", ["-c", `PATH=/nonexistent; np_in=; np_run=; ${snippet}\nprintf '%s' "$np_in"`], { encoding: "utf8" });
      expect(r.stderr, snippet).toBe("");
      expect(r.status, snippet).toBe(0);
      expect(snippet).not.toMatch(/\$\(|`/);
    }
  });

  it("one shared inputs snippet is read once per round trip", () => {
    const shared = moduleLines(["overlay"]);
    const script = buildBatch(
      [
        { key: "a", command: "true", inputs: shared },
        { key: "b", command: "true", inputs: shared },
      ],
      nonce,
    );
    expect(script.split(shared).length - 1).toBe(1);
  });
});
