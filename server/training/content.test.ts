// The training content (content/scenarios/*, content/*.selfcheck.json) is data the server loads at
// run time: every file must load, name real probes and steps, and say what its fault breaks.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSelfCheck, selfCheckIds } from "./self-checks";
import { loadScenario, scenarios } from "./scenarios";

describe("the scenarios in content/scenarios", () => {
  it("load: the ten scenarios, numbered 1 to 10, each with an intro, hints and a solution", () => {
    const all = scenarios();
    expect(all.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(all.map((s) => s.id)).toEqual([
      "modules-not-persisted",
      "br-netfilter-not-at-boot",
      "sysctl-overridden",
      "cri-disabled",
      "cgroup-driver-mismatch",
      "containerd-not-enabled",
      "config-not-applied",
      "runc-not-on-path",
      "cni-loopback-missing",
      "swap-on",
    ]);
    for (const s of all) {
      expect(s.intro.length, s.id).toBeGreaterThan(100);
      expect(s.hints.length, s.id).toBeGreaterThanOrEqual(2);
      expect(s.solutionText.length, s.id).toBeGreaterThan(100);
    }
  });

  it("the scenarios of modules and boot are graded after a reboot; the runtime ones start from an installed runtime", () => {
    const byId = new Map(scenarios().map((s) => [s.id, s]));
    expect(byId.get("modules-not-persisted")!.objectives.every((o) => o.afterReboot)).toBe(true);
    expect(byId.get("br-netfilter-not-at-boot")!.objectives.some((o) => o.afterReboot)).toBe(true);
    for (const id of ["cri-disabled", "cgroup-driver-mismatch", "containerd-not-enabled", "config-not-applied", "runc-not-on-path", "cni-loopback-missing"]) {
      expect(byId.get(id)!.base, id).toBe("runtime");
    }
  });

  it("refuses a scenario that names a probe or step the catalog does not have, naming the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-scenario-"));
    const s = path.join(dir, "bad-one");
    fs.mkdirSync(path.join(s, "hints"), { recursive: true });
    fs.writeFileSync(path.join(s, "intro.md"), "x");
    fs.writeFileSync(path.join(s, "solution.md"), "x");
    fs.writeFileSync(path.join(s, "hints", "01.md"), "x");
    const write = (def: object) =>
      fs.writeFileSync(
        path.join(s, "scenario.json"),
        JSON.stringify({ number: 1, title: "t", summary: "s", base: "fresh", fault: ["true"], objectives: [{ probe: "swap-off", broken: { status: "fail" } }], solution: { commands: ["true"] }, ...def }),
      );
    write({ objectives: [{ probe: "no-such-probe", broken: { status: "fail" } }] });
    expect(() => loadScenario(s)).toThrow(/bad-one\/scenario.json: objective no-such-probe is not a catalog probe/);
    write({ solution: { steps: ["no-such-step"] } });
    expect(() => loadScenario(s)).toThrow(/solution step no-such-step is not a wizard step/);
    write({ solution: {} });
    expect(() => loadScenario(s)).toThrow(/solution: a solution applies a step or runs a command/);
    write({ objectives: [{ probe: "swap-off", broken: { status: "ok" } }] });
    expect(() => loadScenario(s)).toThrow(/objectives.0.broken.status/);
    write({});
    expect(loadScenario(s).objectives).toEqual([{ probe: "swap-off", afterReboot: false, broken: { status: "fail", checks: [] } }]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("the self-checks beside the Markdown", () => {
  it("exist for chapter 0 and every wizard step: 2-4 questions, one right answer each, every choice explained", () => {
    const ids = selfCheckIds().map((c) => c.id);
    expect(ids[0]).toBe("choosing-a-runtime");
    expect(ids).toContain("kernel-modules");
    for (const id of ids) {
      const file = loadSelfCheck(id);
      expect(file.questions.length, id).toBeGreaterThanOrEqual(2);
      expect(file.questions.length, id).toBeLessThanOrEqual(4);
      for (const q of file.questions) {
        expect(q.choices.filter((c) => c.correct), `${id}/${q.id}`).toHaveLength(1);
        for (const c of q.choices) expect(c.why.length, `${id}/${q.id}`).toBeGreaterThan(10);
      }
    }
  });

  it("chapter 0 links each section to the official pages", () => {
    const text = fs.readFileSync(path.join(process.cwd(), "content", "choosing-a-runtime.md"), "utf8");
    for (const page of [
      "https://kubernetes.io/docs/concepts/architecture/cri/",
      "https://kubernetes.io/blog/2022/02/17/dockershim-faq/",
      "https://kubernetes.io/docs/concepts/architecture/cgroups/#check-cgroup-version",
      "https://kubernetes.io/docs/setup/production-environment/container-runtimes/#cgroup-drivers",
      "https://kubernetes.io/docs/concepts/cluster-administration/swap-memory-management/",
      "https://kubernetes.io/docs/tasks/debug/debug-cluster/crictl/",
      "https://kubernetes.io/docs/setup/production-environment/container-runtimes/#override-pause-image-containerd",
      "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/",
      "https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init/",
    ]) {
      expect(text, page).toContain(`(${page})`);
    }
    // Every section (## heading) cites at least one page.
    for (const section of text.split(/\n## /).slice(1)) expect(section, section.split("\n")[0]).toMatch(/\]\(https:\/\//);
  });
});
