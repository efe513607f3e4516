import { describe, expect, it } from "vitest";
import { z } from "zod";
import { observation } from "./index";
import type { Probe } from "./types";

const probe = (id: string, command: string): Probe => ({
  id,
  title: id,
  fixStepId: null,
  commands: [{ key: "dump", command }],
  data: z.object({}),
  parse: (out) => ({ status: out.dump?.output === "shared output\n" ? "ok" : "fail", observed: out.dump?.output ?? "", expected: "", detail: "", checks: [], data: {} }),
});

describe("observation (one round trip per host)", () => {
  it("runs a command two probes share once, and gives both probes its exact output", () => {
    const probes = new Map([
      ["a", probe("a", "containerd config dump")],
      ["b", probe("b", "containerd config dump")],
      ["c", probe("c", "echo other")],
    ]);
    const nonce = "0123456789abcdef";
    const obs = observation(["a", "b", "c"], [], { nonce, lookup: (id) => probes.get(id)! });
    expect(obs.script.split("containerd config dump").length - 1).toBe(1);
    const stdout = [`@@${nonce} begin 0@@`, "shared output", "", `@@${nonce} end 0 0@@`, `@@${nonce} begin 1@@`, "other", "", `@@${nonce} end 1 0@@`, ""].join("\n");
    const { probes: results } = obs.finish(stdout);
    expect(results.map((r) => [r.probeId, r.status])).toEqual([
      ["a", "ok"],
      ["b", "ok"],
      ["c", "fail"],
    ]);
    expect(results[1].raw[0]).toEqual({ command: "containerd config dump", output: "shared output\n", exitCode: 0 });
  });
});

describe("the catalog's commands in one batch", () => {
  it("no probe command exits: sections run in brace groups, and an exit would end the batch", async () => {
    const { probes: all } = await import("./index");
    const offenders = [...all.values()].flatMap((p) => p.commands.filter((c) => /(^|[^\w-])exit\b/.test(c.command)).map((c) => `${p.id}/${c.key}`));
    expect(offenders).toEqual([]);
  });

  it("the whole catalog's script runs in dash here and every section reports back", async () => {
    const { execFileSync } = await import("node:child_process");
    const { probes: all } = await import("./index");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    // Files of the test's own: what this machine has in /etc is no business of the test.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-observation-"));
    const present = path.join(dir, "present.conf");
    fs.writeFileSync(present, "a\nb\n");
    fs.chmodSync(present, 0o640);
    const obs = observation([...all.keys()], [present, path.join(dir, "absent.conf")]);
    // Run it locally: the tools may be missing or fail, but every section must print its end marker.
    const stdout = execFileSync("sh", ["-c", obs.script], { encoding: "utf8", timeout: 60_000 });
    const { probes: results, files } = obs.finish(stdout);
    fs.rmSync(dir, { recursive: true });
    expect(results).toHaveLength(all.size);
    for (const r of results) expect(r.raw.every((x) => x.exitCode !== null), r.probeId).toBe(true);
    expect(files[path.join(dir, "absent.conf")]).toEqual({ kind: "absent" });
    expect(files[present]).toEqual({ kind: "file", mode: "640", content: "a\nb\n" });
  });
});
