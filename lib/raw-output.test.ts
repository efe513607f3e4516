import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { focusOutput, hasHowChecked, hostOutput, showsExitCode, splitRaw } from "./raw-output";

const dump = fs.readFileSync(path.join(import.meta.dirname, "..", "server", "runtime", "fixtures", "containerd-1.6.20-config-dump-nodeprep.toml"), "utf8");
const plugins = fs.readFileSync(path.join(import.meta.dirname, "..", "server", "catalog", "fixtures", "runtime", "debian12-ctr-plugins-default.txt"), "utf8");

describe("raw output as a person reads it", () => {
  it("drops nodeprep's shell prefix from the host's error messages, and nothing else", () => {
    expect(hostOutput("nodeprep: 9: eval: /usr/local/bin/containerd: not found\n")).toBe("/usr/local/bin/containerd: not found\n");
    expect(hostOutput("overlay 151552 0\nsh: 1: x: not found\n")).toBe("overlay 151552 0\nsh: 1: x: not found\n");
  });

  it("helpers apart; exit codes first only on a card that is not ok", () => {
    const lookup = { command: "p=; for c in /usr/bin/containerd; do ...", output: "", exitCode: 1, helper: true };
    const version = { command: "/usr/local/bin/containerd --version", output: "containerd 1.6.20\n", exitCode: 0 };
    expect(splitRaw([lookup, version])).toEqual({ shown: [version], helpers: [lookup] });
    expect(hasHowChecked({ raw: [version] })).toBe(false);
    expect(hasHowChecked({ raw: [version, lookup] })).toBe(true);
    const grep = { command: "grep -E '/(overlay)\\.ko' modules.builtin", output: "", exitCode: 1 };
    expect(showsExitCode("ok", grep)).toBe(false);
    expect(showsExitCode("fail", grep)).toBe(true);
  });

  it("containerd config dump: the deciding lines with their TOML table, the legacy systemd_cgroup explained", () => {
    const blocks = focusOutput({ command: "containerd config dump", output: dump, exitCode: 0 })!;
    const lines = blocks.flatMap((b) => b.lines);
    expect(lines.find((l) => l.text.trim() === "SystemdCgroup = true")).toMatchObject({ decides: true, note: expect.stringContaining("runc's cgroup driver") });
    expect(blocks.find((b) => b.lines.some((l) => l.text.includes("SystemdCgroup")))!.table).toMatch(/runtimes\.runc\.options$/);
    const legacy = lines.find((l) => l.text.trim() === "systemd_cgroup = false")!;
    expect(legacy).toMatchObject({ decides: false, note: expect.stringMatching(/^A deprecated field of the CRI plugin .*, not runc.s SystemdCgroup/) });
    expect(blocks.find((b) => b.lines.includes(legacy))!.table).toBe('plugins."io.containerd.grpc.v1.cri"');
    expect(lines[0]).toMatchObject({ n: 1, text: "disabled_plugins = []", decides: true });
    // Focused: a fraction of the dump.
    expect(lines.length).toBeLessThan(dump.split("\n").length / 4);
  });

  it("ctr plugins ls: the cri row, and devmapper's error said to be normal", () => {
    const lines = focusOutput({ command: "if [ -S ... ]; then ctr ...", shown: "ctr plugins ls", output: plugins, exitCode: 0 })!.flatMap((b) => b.lines);
    expect(lines.find((l) => /\scri\s/.test(l.text))!.decides).toBe(true);
    expect(lines.find((l) => l.text.includes("devmapper"))!.note).toContain("Normal when the devmapper snapshotter is not configured");
  });

  it("short outputs and other commands are shown whole", () => {
    expect(focusOutput({ command: "containerd config dump", output: "version = 2\n", exitCode: 0 })).toBeNull();
    expect(focusOutput({ command: "lsmod", output: dump, exitCode: 0 })).toBeNull();
  });
});
