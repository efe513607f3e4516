// The swap step's plan for each host shape, from recorded output of a practice node (Debian 12,
// systemd 252; probes/swap-fixtures/):
//   debian12-swaps-on-*: a 32 MiB /swapfile in /etc/fstab and a 16 MiB /var/swap2 from an admin's own
//     unit /etc/systemd/system/var-swap2.swap (enabled), both on after a reboot; fstab also holds a
//     commented-out swap line.
//   debian12-swaps-off-*: the same host after the step's commands (fstab line commented out,
//     swapfile.swap masked, var-swap2.swap disabled).
//   debian12-fresh-*: a fresh practice node (no swap unit; systemctl exits 1 listing nothing).
// The swap partition (UUID= in fstab, a GPT partition's generated unit) is reconstructed from those
// recordings with the names systemd gives such units, and labelled so.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ProbeResult } from "@/lib/contracts/catalog";
import { getProbe } from "../index";
import { debianFacts } from "../fixtures/facts";
import { ETC_SWAP_UNITS, SWAP_UNIT_FILES } from "../probes/swap";
import type { CommandOutput, FileState, Observed } from "../types";
import { commentOutSwapLines, FSTAB, PROC_SWAPS, swapStep } from "./swap";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "probes", "swap-fixtures", name), "utf8");
const file = (content: string, mode = "644"): FileState => ({ kind: "file", mode, content });
const proc = (content: string): FileState => ({ kind: "file", mode: "", content });

const EMPTY_SWAPS = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
const NO_UNITS = fixture("debian12-fresh-unit-files.txt");

/** The swap-units probe's result as the engine hands it to plan(): verdict and raw outputs. */
function unitsResult(files: string, etc: string): ProbeResult {
  const p = getProbe("swap-units");
  const outputs: Record<string, CommandOutput> = { files: { output: files, exitCode: 0 }, etc: { output: etc, exitCode: etc ? 0 : 1 } };
  return {
    ...p.parse(outputs),
    probeId: p.id,
    title: p.title,
    fixStepId: p.fixStepId,
    raw: [
      { command: SWAP_UNIT_FILES, ...outputs.files },
      { command: ETC_SWAP_UNITS, ...outputs.etc },
    ],
  };
}

function host(opts: { swaps: string; fstab: FileState; unitFiles?: string; etc?: string }): Observed {
  return {
    files: { [PROC_SWAPS]: proc(opts.swaps), [FSTAB]: opts.fstab },
    probes: { "swap-units": unitsResult(opts.unitFiles ?? NO_UNITS, opts.etc ?? "") },
  };
}

const FRESH_FSTAB = "/dev/vda / ext4 defaults,errors=remount-ro 0 1\n";

describe("swap plan", () => {
  it("no swap at all (a fresh practice node): plans nothing", () => {
    expect(swapStep.plan(debianFacts, host({ swaps: EMPTY_SWAPS, fstab: file(FRESH_FSTAB) }))).toEqual({ actions: [], notes: [] });
  });

  it("a swap file in fstab and an admin's own swap unit, both on: swapoff, fstab commented out, the unit disabled, the generated one masked, reload", () => {
    const plan = swapStep.plan(
      debianFacts,
      host({
        swaps: fixture("debian12-swaps-on-proc-swaps.txt"),
        fstab: file(fixture("debian12-swaps-on-fstab.txt")),
        unitFiles: fixture("debian12-swaps-on-unit-files.txt"),
        etc: fixture("debian12-swaps-on-etc-units.txt"),
      }),
    );
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: "run-command", argv: ["swapoff", "-a"], reason: "swap is on: /swapfile (file, 32764 KiB), /var/swap2 (file, 16380 KiB)" }),
      expect.objectContaining({
        kind: "write-file",
        path: FSTAB,
        mode: 0o644,
        // Only the active line gets its "#"; the line that was commented out already stays as it was.
        content: "/dev/vda / ext4 defaults,errors=remount-ro 0 1\n#/swapfile none swap sw 0 0\n# /dev/vdb2 none swap sw 0 0\n",
        reason: "swap comes back at the next boot from: /swapfile none swap sw 0 0",
      }),
      expect.objectContaining({ kind: "run-command", argv: ["systemctl", "disable", "--now", "var-swap2.swap"] }),
      expect.objectContaining({ kind: "run-command", argv: ["systemctl", "mask", "swapfile.swap"] }),
      expect.objectContaining({ kind: "run-command", argv: ["systemctl", "daemon-reload"] }),
    ]);
    // The recorded "after" state is exactly what this plan's commands left.
    expect((plan.actions[1] as { content: string }).content).toBe(fixture("debian12-swaps-off-fstab.txt"));
  });

  it("the same host afterwards (recorded): plans nothing, and every probe passes", () => {
    const observed = host({
      swaps: fixture("debian12-swaps-off-proc-swaps.txt"),
      fstab: file(fixture("debian12-swaps-off-fstab.txt")),
      unitFiles: fixture("debian12-swaps-off-unit-files.txt"),
      etc: fixture("debian12-swaps-off-etc-units.txt"),
    });
    expect(swapStep.plan(debianFacts, observed)).toEqual({ actions: [], notes: [] });
    expect(observed.probes["swap-units"]).toMatchObject({ status: "ok", observed: "2 swap units, none starts at boot" });
  });

  it("swap turned off by hand but still in fstab: no swapoff, the line commented out and its unit masked", () => {
    const plan = swapStep.plan(
      debianFacts,
      host({ swaps: EMPTY_SWAPS, fstab: file("/dev/vda / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n"), unitFiles: "UNIT FILE STATE PRESET\nswapfile.swap generated -\n\n1 unit files listed.\n" }),
    );
    expect(plan.actions.map((a) => (a.kind === "run-command" ? a.argv.join(" ") : `${a.kind} ${"path" in a ? a.path : ""}`))).toEqual([
      "write-file /etc/fstab",
      "systemctl mask swapfile.swap",
      "systemctl daemon-reload",
    ]);
  });

  it("a swap partition (reconstructed): UUID line with tabs and comments around it, the generated unit masked, the mode of fstab kept", () => {
    const fstab = [
      "# /etc/fstab: static file system information.",
      "#",
      "# <file system> <mount point>   <type>  <options>       <dump>  <pass>",
      "UUID=0a3407de-014b-458b-b5c1-848e92a327a3 /               ext4    errors=remount-ro 0       1",
      "# swap was on /dev/sda5 during installation",
      "UUID=7c2b5b7e-1c4e-4d3f-9d7a-2f2a1b0c9e11\tnone\tswap\tsw\t0\t0",
      "",
    ].join("\n");
    const unit = "dev-disk-by\\x2duuid-7c2b5b7e\\x2d1c4e\\x2d4d3f\\x2d9d7a\\x2d2f2a1b0c9e11.swap";
    const plan = swapStep.plan(
      debianFacts,
      host({
        swaps: `${EMPTY_SWAPS}/dev/sda5                               partition\t1046524\t\t0\t\t-2\n`,
        fstab: file(fstab, "664"),
        unitFiles: `UNIT FILE                                                                   STATE     PRESET\n${unit} generated -\n\n1 unit files listed.\n`,
      }),
    );
    expect(plan.actions[0]).toMatchObject({ argv: ["swapoff", "-a"], reason: "swap is on: /dev/sda5 (partition, 1046524 KiB)" });
    expect(plan.actions[1]).toMatchObject({ kind: "write-file", mode: 0o664 });
    const written = (plan.actions[1] as { content: string }).content.split("\n");
    expect(written[5]).toBe("#UUID=7c2b5b7e-1c4e-4d3f-9d7a-2f2a1b0c9e11\tnone\tswap\tsw\t0\t0");
    expect(written.filter((l, i) => l !== fstab.split("\n")[i])).toHaveLength(1);
    expect(plan.actions[2]).toMatchObject({ argv: ["systemctl", "mask", unit] });
  });

  it("a GPT swap partition with no fstab line (reconstructed): only its generated unit is there, so it is masked", () => {
    const unit = "dev-disk-by\\x2dpartuuid-0657fd6d\\x2da4ab\\x2d43c4\\x2d84e5\\x2d0933c84b4f4f.swap";
    const plan = swapStep.plan(
      debianFacts,
      host({ swaps: `${EMPTY_SWAPS}/dev/vda3                               partition\t524284\t\t0\t\t-2\n`, fstab: file(FRESH_FSTAB), unitFiles: `UNIT FILE STATE PRESET\n${unit} generated -\n\n1 unit files listed.\n` }),
    );
    expect(plan.actions.map((a) => (a.kind === "run-command" ? a.argv : a.kind))).toEqual([
      ["swapoff", "-a"],
      ["systemctl", "mask", unit],
    ]);
  });

  it("a unit file of the admin's in /etc/systemd/system without [Install] (static): not masked (systemctl cannot), and says what to look at", () => {
    const plan = swapStep.plan(
      debianFacts,
      host({
        swaps: EMPTY_SWAPS,
        fstab: file(FRESH_FSTAB),
        unitFiles: "UNIT FILE STATE PRESET\nvar-swap2.swap static -\n\n1 unit files listed.\n",
        etc: "-rw-r--r-- 1 root root   87 Dec  1 00:07 var-swap2.swap\n",
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.notes[0]).toContain("var-swap2.swap is a unit file in /etc/systemd/system without an [Install] section");
  });

  it("a host without systemd: swapoff and fstab only, and a note", () => {
    const plan = swapStep.plan(
      { ...debianFacts, init: "other" },
      host({ swaps: fixture("debian12-swaps-on-proc-swaps.txt"), fstab: file(fixture("debian12-swaps-on-fstab.txt")) }),
    );
    expect(plan.actions.map((a) => a.kind)).toEqual(["run-command", "write-file"]);
    expect(plan.notes).toEqual(["This host's init is not systemd: there are no swap units to mask. Check that no init script runs swapon."]);
  });

  it("no /etc/fstab (a minimal container image): nothing to comment out", () => {
    const plan = swapStep.plan(debianFacts, host({ swaps: EMPTY_SWAPS, fstab: { kind: "absent" } }));
    expect(plan.actions).toEqual([]);
  });

  it("refuses what it cannot read, naming it", () => {
    expect(() => swapStep.plan(debianFacts, host({ swaps: "cat: /proc/swaps: No such file", fstab: file(FRESH_FSTAB) }))).toThrow("/proc/swaps could not be read");
    expect(() => swapStep.plan(debianFacts, host({ swaps: EMPTY_SWAPS, fstab: { kind: "other", detail: "exists but is not a regular file" } }))).toThrow(
      "/etc/fstab: exists but is not a regular file",
    );
    expect(() =>
      swapStep.plan(debianFacts, host({ swaps: EMPTY_SWAPS, fstab: file(FRESH_FSTAB), unitFiles: "UNIT FILE STATE PRESET\nx;rm.swap enabled -\n" })),
    ).toThrow("unexpected swap unit name");
  });
});

describe("commentOutSwapLines", () => {
  it("comments only active swap lines and keeps the rest byte for byte (no newline at the end stays so)", () => {
    expect(commentOutSwapLines("/dev/vda / ext4 defaults 0 1\n  /swap.img  none  swap  sw  0  0")).toEqual({
      content: "/dev/vda / ext4 defaults 0 1\n#  /swap.img  none  swap  sw  0  0",
      lines: ["/swap.img  none  swap  sw  0  0"],
    });
    expect(commentOutSwapLines("#/swapfile none swap sw 0 0\n/dev/vdb /swap ext4 defaults 0 2\n")).toBeNull();
  });
});
