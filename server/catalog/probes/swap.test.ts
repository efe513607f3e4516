// Parsers of the swap probes on recorded real output (swap-fixtures/, see steps/swap.test.ts for the
// host they come from).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEtcSwapUnits, parseSwaponShow, parseSwapUnitFiles, swaponShowProbe, swapUnitsProbe } from "./swap";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "swap-fixtures", name), "utf8");

describe("swapon-show", () => {
  it("lists the active swaps by name; nothing at all means no swap", () => {
    expect(parseSwaponShow(fixture("debian12-swaps-on-swapon-show.txt"))).toEqual(["/swapfile", "/var/swap2"]);
    expect(swaponShowProbe.parse({ show: { output: fixture("debian12-swaps-on-swapon-show.txt"), exitCode: 0 } })).toMatchObject({
      status: "fail",
      observed: "in use: /swapfile, /var/swap2",
    });
    expect(swaponShowProbe.parse({ show: { output: "", exitCode: 0 } })).toMatchObject({ status: "ok", observed: "no swap in use" });
  });

  it("unknown when swapon is missing or the host did not answer", () => {
    expect(swaponShowProbe.parse({ show: { output: "sh: 1: swapon: not found\n", exitCode: 127 } }).status).toBe("unknown");
    expect(swaponShowProbe.parse({}).status).toBe("unknown");
  });
});

describe("swap-units", () => {
  it("reads systemctl's unit file list, header and footer aside", () => {
    expect(parseSwapUnitFiles(fixture("debian12-swaps-on-unit-files.txt"))).toEqual([
      { unit: "swapfile.swap", state: "generated" },
      { unit: "var-swap2.swap", state: "enabled" },
    ]);
  });

  it("tells a mask (a /dev/null link) from the admin's own unit file in /etc/systemd/system", () => {
    expect(parseEtcSwapUnits(fixture("debian12-swaps-off-etc-units.txt"))).toEqual([
      { unit: "swapfile.swap", kind: "mask" },
      { unit: "var-swap2.swap", kind: "file" },
    ]);
  });

  it("fails while a unit would start swap at boot, naming each with its state", () => {
    const v = swapUnitsProbe.parse({ files: { output: fixture("debian12-swaps-on-unit-files.txt"), exitCode: 0 } });
    expect(v.status).toBe("fail");
    expect(v.observed).toBe("would start swap: swapfile.swap (generated), var-swap2.swap (enabled)");
    expect(v.checks.map((c) => [c.name, c.status])).toEqual([
      ["swapfile.swap", "fail"],
      ["var-swap2.swap", "fail"],
    ]);
  });

  it("passes with every unit masked or disabled, and with no swap unit at all", () => {
    expect(swapUnitsProbe.parse({ files: { output: fixture("debian12-swaps-off-unit-files.txt"), exitCode: 0 } })).toMatchObject({ status: "ok" });
    // systemctl exits 1 when it lists nothing.
    expect(swapUnitsProbe.parse({ files: { output: fixture("debian12-fresh-unit-files.txt"), exitCode: 1 } })).toMatchObject({
      status: "ok",
      observed: "no swap units",
    });
  });

  it("a host without systemctl has no swap units; a systemctl that fails otherwise is unknown", () => {
    expect(swapUnitsProbe.parse({ files: { output: "sh: 1: systemctl: not found\n", exitCode: 127 } }).status).toBe("ok");
    expect(swapUnitsProbe.parse({ files: { output: "Failed to connect to bus: No such file or directory\n", exitCode: 1 } }).status).toBe("unknown");
    expect(swapUnitsProbe.parse({}).status).toBe("unknown");
  });
});
