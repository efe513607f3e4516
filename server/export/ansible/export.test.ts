import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { steps } from "../../catalog";
import { kernelModulesStep, MODULES_LOAD_CONTENT } from "../../catalog/steps/kernel-modules";
import { SYSCTL_CONTENT } from "../../catalog/steps/sysctl";
import { UPSTREAM_CONTAINERD_SERVICE } from "../../catalog/steps/containerd-service";
import { currentReleases, resolveArtifact } from "../../artifacts";
import type { Step } from "../../catalog/types";
import { tarGz } from "../tar";
import { ansibleExportFiles } from "./index";
import { ExportError, planForExport } from "./plan";

const LOCAL_RELEASES = path.join(import.meta.dirname, "..", "..", "catalog", "fixtures", "runtime", "local-releases");
const ALL = steps.map((s) => s.id);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "np-export-test-"));
const fakeFile = path.join(tmp, "release-file");
fs.writeFileSync(fakeFile, "not really a tarball");

beforeEach(() => vi.stubEnv("NODEPREP_LOCAL_RELEASES", undefined));
afterEach(() => vi.unstubAllEnvs());

type Task = Record<string, unknown> & { name: string };
function exported(opts: Partial<Parameters<typeof ansibleExportFiles>[0]> = {}) {
  const files = ansibleExportFiles({ stepIds: ALL, arch: "amd64", delivery: { kind: "cache" }, inventory: "", findFile: () => fakeFile, ...opts });
  const text = (p: string) => files.find((f) => f.path === `nodeprep-ansible/${p}`)?.content;
  const tasks = (stepId: string) => parse(text(`roles/nodeprep/tasks/${stepId}.yml`)!) as Task[];
  return { files, text, tasks, all: () => [...ALL.flatMap((id) => tasks(id) ?? []), ...(parse(text("roles/nodeprep/tasks/main.yml")!) as Task[]), ...(parse(text("roles/nodeprep/handlers/main.yml")!) as Task[])] };
}
const moduleOf = (t: Task) => Object.keys(t).find((k) => k.includes("."))!;

describe("the export is planned by the steps themselves", () => {
  it("every command a step plans on a fresh host says when it is needed (or the playbook could not be idempotent)", () => {
    for (const s of planForExport({ stepIds: ALL, arch: "amd64" })) {
      for (const a of s.actions) if (a.kind === "run-command") expect(a.when, `${s.step.id}: ${a.argv.join(" ")}`).toBeTruthy();
    }
  });

  it("the same files with the same content, the modules, the sysctls, the unit and the cgroup driver", () => {
    const e = exported();
    const copy = (stepId: string, dest: string) => e.tasks(stepId).find((t) => (t["ansible.builtin.copy"] as { dest?: string })?.dest === dest)!["ansible.builtin.copy"] as Record<string, string>;
    expect(copy("kernel-modules", "/etc/modules-load.d/k8s.conf")).toEqual({ dest: "/etc/modules-load.d/k8s.conf", content: MODULES_LOAD_CONTENT, mode: "0644", owner: "root", group: "root" });
    expect(copy("sysctl", "/etc/sysctl.d/k8s.conf").content).toBe(SYSCTL_CONTENT);
    expect(copy("containerd-service", "/usr/local/lib/systemd/system/containerd.service").content).toBe(UPSTREAM_CONTAINERD_SERVICE);
    expect(copy("cgroup-driver", "/etc/containerd/config.toml").content).toMatch(/^ *SystemdCgroup = true$/m);
    expect(e.tasks("kernel-modules").filter((t) => t["ansible.builtin.command"]).map((t) => t["ansible.builtin.command"])).toEqual([
      { argv: ["modprobe", "overlay"], creates: "/sys/module/overlay" },
      { argv: ["modprobe", "br_netfilter"], creates: "/sys/module/br_netfilter" },
    ]);
    const sysctl = e.tasks("sysctl").find((t) => t.name === "sysctl | sysctl --system")!;
    expect(sysctl.when).toBe(
      'nodeprep_sysctl_1 is changed or nodeprep_sysctl_2.rc != 0 or nodeprep_sysctl_2.stdout_lines != ["1", "1", "1"]',
    );
    expect(e.tasks("sysctl").find((t) => t.register === "nodeprep_sysctl_2")!["ansible.builtin.command"]).toEqual({
      argv: ["cat", "/proc/sys/net/bridge/bridge-nf-call-iptables", "/proc/sys/net/bridge/bridge-nf-call-ip6tables", "/proc/sys/net/ipv4/ip_forward"],
    });
    expect(e.tasks("containerd-service").find((t) => t["ansible.builtin.systemd"])!["ansible.builtin.systemd"]).toEqual({ name: "containerd", enabled: true, state: "started" });
    expect(e.tasks("kubelet-cgroup-driver")).toEqual([]);
  });

  it("restarts are handlers, notified by the file they apply and flushed where the wizard runs them", () => {
    const e = exported();
    const handlers = parse(e.text("roles/nodeprep/handlers/main.yml")!) as Task[];
    expect(handlers).toEqual([
      { name: "systemctl daemon-reload", "ansible.builtin.command": { argv: ["systemctl", "daemon-reload"] } },
      { name: "systemctl restart containerd", "ansible.builtin.command": { argv: ["systemctl", "restart", "containerd"] } },
    ]);
    const unit = e.tasks("containerd-service").find((t) => t.name.includes("containerd.service"))!;
    expect(unit.notify).toEqual(["systemctl daemon-reload"]);
    const config = e.tasks("cgroup-driver").find((t) => t.name.includes("config.toml"))!;
    expect(config.notify).toEqual(["systemctl restart containerd"]);
    // daemon-reload is flushed before containerd is enabled and started, as in the wizard's plan.
    const names = e.tasks("containerd-service").map((t) => t.name);
    expect(names.indexOf("containerd-service | apply changes: systemctl daemon-reload if notified")).toBeLessThan(names.indexOf("containerd-service | enable and start containerd"));
  });

  it("only ansible.builtin modules", () => {
    const modules = new Set(exported().all().map(moduleOf));
    expect([...modules].filter((m) => !m.startsWith("ansible.builtin."))).toEqual([]);
    expect(modules.size).toBeGreaterThan(5);
  });

  it("changing a step's file content changes the export (no second copy of the recipe)", () => {
    const changed: Step = {
      ...kernelModulesStep,
      plan: (f, o, opt) => {
        const p = kernelModulesStep.plan(f, o, opt);
        return { ...p, actions: p.actions.map((a) => (a.kind === "write-file" ? { ...a, content: `${a.content}nf_conntrack\n` } : a)) };
      },
    };
    const e = exported({ steps: steps.map((s) => (s.id === changed.id ? changed : s)) });
    expect(e.text("roles/nodeprep/tasks/kernel-modules.yml")).toContain("nf_conntrack");
    expect(exported().text("roles/nodeprep/tasks/kernel-modules.yml")).not.toContain("nf_conntrack");
  });

  it("a command without a trigger is refused, naming the step", () => {
    const bad: Step = { ...kernelModulesStep, plan: () => ({ actions: [{ kind: "run-command", argv: ["true"], reason: "x" }], notes: [] }) };
    expect(() => exported({ steps: [bad], stepIds: [bad.id] })).toThrow(ExportError);
    expect(() => exported({ steps: [bad], stepIds: [bad.id] })).toThrow(/kernel-modules: the command true does not say when it is needed/);
  });
});

describe("artifacts: the same sha256", () => {
  it("bundled: copy of the file, its sum checked on the controller first; tarballs kept, extracted when they change", () => {
    const e = exported();
    const cd = resolveArtifact("containerd", null, "amd64");
    const tasks = e.tasks("containerd");
    expect(tasks.find((t) => t["ansible.builtin.copy"])!["ansible.builtin.copy"]).toMatchObject({ src: cd.file, dest: `{{ nodeprep_artifact_dir }}/${cd.file}` });
    // Extracted with the wizard's own install command, when the file arrived or changed.
    const extract = tasks.find((t) => t.name.startsWith("containerd | extract"))!;
    expect(extract["ansible.builtin.command"]).toEqual({ cmd: `tar Cxzvf /usr/local '{{ nodeprep_artifact_dir }}/${cd.file}'` });
    expect(extract.when).toBe("nodeprep_containerd_1 is changed");
    const runc = e.tasks("runc").find((t) => t["ansible.builtin.copy"])!["ansible.builtin.copy"];
    expect(runc).toMatchObject({ dest: "/usr/local/sbin/runc", mode: "0755" });
    expect(parse(e.text("roles/nodeprep/vars/main.yml")!).nodeprep_bundled_files).toContainEqual({ file: cd.file, sha256: cd.sha256 });
    expect(e.text("SHA256SUMS")).toContain(`${cd.sha256}  roles/nodeprep/files/${cd.file}`);
    expect(e.files.find((f) => f.path.endsWith(`files/${cd.file}`))!.source).toBe(fakeFile);
    const main = parse(e.text("roles/nodeprep/tasks/main.yml")!) as Task[];
    expect(main.map((t) => t.name)).toContain("nodeprep | refuse a bundled file whose sha256 differs");
  });

  it("upstream: get_url with checksum sha256, or the project's checksum file; a mirror replaces the URL", () => {
    const e = exported({ delivery: { kind: "upstream" } });
    const cd = resolveArtifact("containerd", null, "amd64");
    expect(e.tasks("containerd").find((t) => t["ansible.builtin.get_url"])!["ansible.builtin.get_url"]).toMatchObject({ url: cd.url, checksum: `sha256:${cd.sha256}` });
    expect(e.text("SHA256SUMS")).toBeUndefined();
    const m = exported({ delivery: { kind: "mirror", url: "https://mirror.example/k8s/{file}" } });
    expect(m.tasks("runc").find((t) => t["ansible.builtin.get_url"])!["ansible.builtin.get_url"]).toMatchObject({ url: `https://mirror.example/k8s/${resolveArtifact("runc", null, "amd64").file}`, dest: "/usr/local/sbin/runc" });
  });

  it("a local release: the unit from the release file (same sum), and no download URL to offer", () => {
    vi.stubEnv("NODEPREP_LOCAL_RELEASES", LOCAL_RELEASES);
    expect(currentReleases().localDir).toBe(LOCAL_RELEASES);
    const e = exported();
    expect(e.tasks("containerd-service").find((t) => t.name.includes("containerd.service"))!["ansible.builtin.copy"]).toMatchObject({
      src: "containerd.service",
      dest: "/usr/local/lib/systemd/system/containerd.service",
      mode: "0644",
    });
    expect(() => exported({ delivery: { kind: "upstream" } })).toThrow(/local release with no upstream URL: export it bundled instead/);
    expect(() => exported({ findFile: () => null })).toThrow(/not in the dashboard's artifact cache, so it cannot be bundled/);
  });
});

describe("the archive", () => {
  it("is a tar.gz that tar lists and extracts, with a README inside", async () => {
    const e = exported();
    const out = path.join(tmp, "export.tar.gz");
    await new Promise<void>((resolve, reject) => {
      const w = fs.createWriteStream(out);
      tarGz(e.files.map((f) => ({ path: f.path, mode: f.mode, content: f.content, source: f.source }))).pipe(w).on("finish", resolve).on("error", reject);
    });
    const list = execFileSync("tar", ["-tzf", out], { encoding: "utf8" }).trim().split("\n");
    expect(list).toEqual(e.files.map((f) => f.path));
    expect(list).toContain("nodeprep-ansible/README.md");
    const readme = execFileSync("tar", ["-xzOf", out, "nodeprep-ansible/README.md"], { encoding: "utf8" });
    expect(readme).toContain("ansible-playbook -i inventory.ini site.yml --check --diff");
    expect(readme).not.toMatch(/\{\{\w+\}\}/);
    expect(execFileSync("tar", ["-xzOf", out, `nodeprep-ansible/roles/nodeprep/files/${resolveArtifact("runc", null, "amd64").file}`], { encoding: "utf8" })).toBe("not really a tarball");
  });
});

describe("rolling settings", () => {
  it("the play takes serial and max_fail_percentage from the wizard's settings; without them it runs every host at once", () => {
    const play = (e: ReturnType<typeof exported>) => (parse(e.text("site.yml")!) as Record<string, unknown>[])[0];
    const plain = exported();
    expect(play(plain)).not.toHaveProperty("serial");
    expect(play(plain)).not.toHaveProperty("max_fail_percentage");
    expect(plain.text("README.md")).toContain("The play runs on every host at once (no `serial`).");

    const rolled = exported({ rolling: { settings: { batch: "25%", stopAfter: 1 }, nodeCount: 8 } });
    expect(play(rolled)).toMatchObject({ hosts: "all", serial: "25%", max_fail_percentage: 0, roles: ["nodeprep"] });
    expect(rolled.text("README.md")).toContain("The play runs in batches of 25% hosts (`serial`), stopping when more than 0% of a batch failed (`max_fail_percentage`)");

    const many = exported({ rolling: { settings: { batch: 3, stopAfter: 2 }, nodeCount: 6 } });
    expect(play(many)).toMatchObject({ serial: 3, max_fail_percentage: 33.34 });
    expect(many.text("README.md")).toMatch(/Ansible counts them in each batch/);
  });

  it("a canary becomes a serial list and a prompt after the role; the pause a timed pause; the README says where Ansible does not wait", () => {
    const play = (e: ReturnType<typeof exported>) => (parse(e.text("site.yml")!) as Record<string, unknown>[])[0];
    const canary = exported({ rolling: { settings: { batch: 2, canary: 1, pauseSeconds: 20 }, nodeCount: 5 } });
    const p = play(canary) as { serial: unknown; roles: string[]; tasks: Record<string, unknown>[] };
    expect(p).toMatchObject({ serial: [1, 2], max_fail_percentage: 0, roles: ["nodeprep"] });
    expect(p.tasks.map((t) => t.name)).toEqual(["Canary batch done: wait for the operator's Continue", "Pause 20 s before the next batch"]);
    const readme = canary.text("README.md")!;
    expect(readme).toContain("a first (canary) batch of 1 host, then batches of 2 hosts (`serial: [1, 2]`)");
    expect(readme).toContain("Not waiting for response to prompt as stdin is not interactive");
    expect(readme).toContain("Between batches the play pauses 20 s (`ansible.builtin.pause: seconds`), except after the canary");
    expect(play(exported({ rolling: { settings: { batch: 2 }, nodeCount: 5 } }))).not.toHaveProperty("tasks");
  });
});
