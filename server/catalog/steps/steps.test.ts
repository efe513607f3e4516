import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ProbeResult } from "@/lib/contracts/catalog";
import { getProbe, observation, probes, steps } from "../index";
import { debianFacts } from "../fixtures/facts";
import { MODULES_LOAD_FILE } from "../probes/modules";
import { SYSCTL_FILE } from "../probes/sysctl";
import type { CommandOutput, FileState, Observed } from "../types";
import { kernelModulesStep, MODULES_LOAD_CONTENT } from "./kernel-modules";
import { SYSCTL_CONTENT, sysctlStep } from "./sysctl";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");
const grep = (text: string, word: string) => text.split("\n").filter((l) => l.includes(word)).map((l) => l + "\n").join("");

function result(probeId: string, outputs: Record<string, CommandOutput>): ProbeResult {
  const p = getProbe(probeId);
  return { ...p.parse(outputs), probeId, title: p.title, fixStepId: p.fixStepId, raw: [] };
}

/** Module probe results from recorded lsmod + modules.builtin output of a practice node. */
function moduleResults(lsmod: string, builtin = fixture("debian12-modules.builtin")) {
  return Object.fromEntries(
    ["overlay", "br_netfilter"].map((m) => {
      const id = `module-${m.replace("_", "-")}`;
      const hits = grep(lsmod, m);
      const b = grep(builtin, `/${m}.ko`);
      return [
        id,
        result(id, {
          lsmod: { output: hits, exitCode: hits ? 0 : 1 },
          builtin: { output: b, exitCode: b ? 0 : 1 },
          sysfs: { output: `ls: cannot access '/sys/module/${m}': No such file or directory\n`, exitCode: 2 },
        }),
      ];
    }),
  );
}

const file = (content: string, mode = "644"): FileState => ({ kind: "file", mode, content });

describe("kernel-modules plan", () => {
  const fresh: Observed = { files: { [MODULES_LOAD_FILE]: { kind: "absent" } }, probes: moduleResults(fixture("debian12-lsmod-fresh.txt")) };

  it("fresh host: writes the file and loads both modules", () => {
    const plan = kernelModulesStep.plan(debianFacts, fresh);
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: "write-file", path: MODULES_LOAD_FILE, mode: 0o644, content: "overlay\nbr_netfilter\n" }),
      expect.objectContaining({ kind: "run-command", argv: ["modprobe", "overlay"] }),
      expect.objectContaining({ kind: "run-command", argv: ["modprobe", "br_netfilter"] }),
    ]);
  });

  it("half-done host (modules loaded by hand, file has other content): rewrites the file only", () => {
    const plan = kernelModulesStep.plan(debianFacts, {
      files: { [MODULES_LOAD_FILE]: file("overlay\n") },
      probes: moduleResults(fixture("debian12-lsmod-loaded.txt")),
    });
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ kind: "write-file", reason: "the file exists with other content" });
  });

  it("half-done host (file right, modules not loaded after a failed boot): loads them only", () => {
    const plan = kernelModulesStep.plan(debianFacts, { ...fresh, files: { [MODULES_LOAD_FILE]: file(MODULES_LOAD_CONTENT) } });
    expect(plan.actions.map((a) => a.kind)).toEqual(["run-command", "run-command"]);
  });

  it("a file with the right content but the wrong mode is rewritten", () => {
    const plan = kernelModulesStep.plan(debianFacts, {
      files: { [MODULES_LOAD_FILE]: file(MODULES_LOAD_CONTENT, "600") },
      probes: moduleResults(fixture("debian12-lsmod-loaded.txt")),
    });
    expect(plan.actions).toEqual([expect.objectContaining({ kind: "write-file", reason: "the file has mode 600, not 644" })]);
  });

  it("done host: plans nothing", () => {
    const plan = kernelModulesStep.plan(debianFacts, {
      files: { [MODULES_LOAD_FILE]: file(MODULES_LOAD_CONTENT) },
      probes: moduleResults(fixture("debian12-lsmod-loaded.txt")),
    });
    expect(plan).toEqual({ actions: [], notes: [] });
  });

  it("a kernel with overlay built in: no modprobe for it, and says so", () => {
    const builtin = fixture("debian12-modules.builtin") + "kernel/fs/overlayfs/overlay.ko\n";
    const probesNow = moduleResults(grep(fixture("debian12-lsmod-loaded.txt"), "br_netfilter"), builtin);
    expect(probesNow["module-overlay"]).toMatchObject({ status: "ok", observed: "built into the kernel" });
    const plan = kernelModulesStep.plan(debianFacts, { files: { [MODULES_LOAD_FILE]: file(MODULES_LOAD_CONTENT) }, probes: probesNow });
    expect(plan.actions).toEqual([]);
    expect(plan.notes).toEqual(["overlay is built into the kernel: nothing to load."]);
  });
});

describe("sysctl plan", () => {
  const values = (name: string) =>
    result("sysctl-values", { sysctl: { output: fixture(name), exitCode: name.includes("fresh") ? 255 : 0 } });

  it("fresh host (br_netfilter loaded by step 1): writes the file and applies it", () => {
    const plan = sysctlStep.plan(debianFacts, {
      files: { [SYSCTL_FILE]: { kind: "absent" } },
      probes: { "sysctl-values": values("debian12-sysctl-modules-loaded.txt") },
    });
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: "write-file", path: SYSCTL_FILE, content: SYSCTL_CONTENT }),
      expect.objectContaining({ kind: "run-command", argv: ["sysctl", "--system"], reason: "not 1 right now: net.ipv4.ip_forward" }),
    ]);
    expect(SYSCTL_CONTENT).toBe(
      "net.bridge.bridge-nf-call-iptables  = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward                 = 1\n",
    );
  });

  it("half-done host (file right, values lost): applies only", () => {
    const plan = sysctlStep.plan(debianFacts, {
      files: { [SYSCTL_FILE]: file(SYSCTL_CONTENT) },
      probes: { "sysctl-values": values("debian12-sysctl-modules-loaded.txt") },
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(["run-command"]);
  });

  it("half-done host (values set by hand, no file): writes the file and reloads", () => {
    const plan = sysctlStep.plan(debianFacts, {
      files: { [SYSCTL_FILE]: { kind: "absent" } },
      probes: { "sysctl-values": values("debian12-sysctl-done.txt") },
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(["write-file", "run-command"]);
  });

  it("done host: plans nothing", () => {
    const plan = sysctlStep.plan(debianFacts, {
      files: { [SYSCTL_FILE]: file(SYSCTL_CONTENT) },
      probes: { "sysctl-values": values("debian12-sysctl-done.txt") },
    });
    expect(plan.actions).toEqual([]);
  });

  // Recorded on a practice node (../probes/scenario-fixtures): another file applied after k8s.conf.
  const atBoot = (state: string): ProbeResult => {
    const probe = getProbe("sysctl-at-boot");
    const read = (k: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "probes", "scenario-fixtures", `debian12-sysctl-boot-${state}-${k}.txt`), "utf8");
    const outputs = { files: { output: read("files"), exitCode: 0 }, lines: { output: read("lines"), exitCode: 2 } };
    return { ...probe.parse(outputs), probeId: probe.id, title: probe.title, fixStepId: probe.fixStepId, raw: probe.commands.map((c) => ({ command: c.command, ...outputs[c.key as "files" | "lines"] })) };
  };

  it("a later file in /etc/sysctl.d sets ip_forward = 0: comments that line out, then applies", () => {
    const plan = sysctlStep.plan(debianFacts, {
      files: { [SYSCTL_FILE]: file(SYSCTL_CONTENT) },
      probes: { "sysctl-values": values("debian12-sysctl-modules-loaded.txt"), "sysctl-at-boot": atBoot("hardening") },
    });
    expect(plan.actions).toEqual([
      expect.objectContaining({
        kind: "run-command",
        argv: ["sed", "-i", "-E", "s/^[[:space:]]*-?net[./]ipv4[./]ip_forward[[:space:]]*=.*/# & (commented out: Kubernetes needs 1)/", "/etc/sysctl.d/network-hardening.conf"],
        reason: expect.stringContaining("/etc/sysctl.d/network-hardening.conf sets net.ipv4.ip_forward = 0 and is applied after /etc/sysctl.d/k8s.conf"),
      }),
      expect.objectContaining({ argv: ["sysctl", "--system"] }),
    ]);
  });

  it("the same file named 99-zz-hardening.conf sorts before k8s.conf: nothing to comment out", () => {
    const plan = sysctlStep.plan(debianFacts, {
      files: { [SYSCTL_FILE]: file(SYSCTL_CONTENT) },
      probes: { "sysctl-values": values("debian12-sysctl-done.txt"), "sysctl-at-boot": atBoot("zz") },
    });
    expect(plan.actions).toEqual([]);
  });

  it("requires br_netfilter, and that probe points at step 1", () => {
    expect(sysctlStep.requires).toEqual(["module-br-netfilter"]);
    expect(getProbe("module-br-netfilter").fixStepId).toBe("kernel-modules");
  });
});

describe("probes on recorded output", () => {
  it("sysctl-values: one verdict per value; a fresh host names br_netfilter", () => {
    const r = result("sysctl-values", { sysctl: { output: fixture("debian12-sysctl-fresh.txt"), exitCode: 255 } });
    expect(r.status).toBe("fail");
    expect(r.checks.map((c) => [c.name, c.status, c.observed])).toEqual([
      ["net.bridge.bridge-nf-call-iptables", "fail", "missing (br_netfilter is not loaded)"],
      ["net.bridge.bridge-nf-call-ip6tables", "fail", "missing (br_netfilter is not loaded)"],
      ["net.ipv4.ip_forward", "fail", "0"],
    ]);
    expect(r.detail).toContain("br_netfilter");
    const done = result("sysctl-values", { sysctl: { output: fixture("debian12-sysctl-done.txt"), exitCode: 0 } });
    expect(done.checks.map((c) => c.status)).toEqual(["ok", "ok", "ok"]);
  });

  it("module probe: /sys/module present but not in lsmod = built in (this is how ipv6 looks)", () => {
    const r = result("module-overlay", {
      lsmod: { output: "", exitCode: 1 },
      builtin: { output: "", exitCode: 1 },
      sysfs: { output: "/sys/module/overlay\n", exitCode: 0 },
    });
    expect(r).toMatchObject({ status: "ok", observed: "built into the kernel" });
  });

  it("modules-persisted: missing file fails, right file passes", () => {
    expect(result("modules-persisted", { cat: { output: "cat: /etc/modules-load.d/k8s.conf: No such file or directory\n", exitCode: 1 } }).status).toBe("fail");
    expect(result("modules-persisted", { cat: { output: MODULES_LOAD_CONTENT, exitCode: 0 } }).status).toBe("ok");
  });
});

describe("the catalog", () => {
  it("references only known probes, ids kebab-case, and every step has its explanation", () => {
    for (const s of steps) {
      expect(s.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const id of [...s.requires, ...s.verify, ...s.observe.probes]) expect(probes.has(id), `${s.id} -> ${id}`).toBe(true);
      expect(fs.existsSync(path.join(process.cwd(), "content", `${s.id}.md`)), `content/${s.id}.md`).toBe(true);
    }
  });

  it("batches every probe and file of a step into one script", () => {
    const obs = observation(kernelModulesStep.verify, [MODULES_LOAD_FILE], { nonce: "00112233445566778899" });
    // The two module probes share their three commands (run once), then modules-persisted's cat and the file.
    expect(obs.script.startsWith("nodeprep_nonce=00112233445566778899\n")).toBe(true);
    expect(obs.script.match(/@@\$nodeprep_nonce begin/g)).toHaveLength(3 + 1 + 1);
    expect(obs.script.match(/lsmod/g)).toHaveLength(1);
  });
});
