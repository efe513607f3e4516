import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProbeResult } from "@/lib/contracts/catalog";
import type { HostFacts } from "@/lib/contracts/facts";
import { renderAction } from "../actions";
import { getProbe, observation, steps } from "../index";
import { debianFacts } from "../fixtures/facts";
import { CONTAINERD_CONFIG, CONTAINERD_UNIT } from "../probes/runtime-paths";
import type { CommandOutput, FileState, Observed } from "../types";
import { cgroupDriverStep } from "./cgroup-driver";
import { cniPluginsStep } from "./cni-plugins";
import { containerdStep } from "./containerd";
import { containerdServiceStep, UPSTREAM_CONTAINERD_SERVICE } from "./containerd-service";
import { kubeletCgroupDriverStep } from "./kubelet-cgroup-driver";
import { runcStep } from "./runc";

const rt = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "runtime", name), "utf8");
const dumpFixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "..", "runtime", "fixtures", name), "utf8");
const LOCAL_RELEASES = path.join(import.meta.dirname, "..", "fixtures", "runtime", "local-releases");

const out = (output: string, exitCode = 0): CommandOutput => ({ output, exitCode });
function result(probeId: string, outputs: Record<string, CommandOutput>): ProbeResult {
  const p = getProbe(probeId);
  return { ...p.parse(outputs), probeId, title: p.title, fixStepId: p.fixStepId, raw: [] };
}
const obs = (probes: ProbeResult[], files: Record<string, FileState> = {}): Observed => ({
  probes: Object.fromEntries(probes.map((p) => [p.probeId, p])),
  files,
});
const facts = (over: Partial<HostFacts>): HostFacts => ({ ...debianFacts, ...over });

// Recorded outputs (practice node 61) and the shapes of a fresh host's answers.
const NOT_FOUND = (p: string) => out(`sh: 1: ${p}: not found\n`, 127);
const containerdFresh = () => result("containerd-installed", { local: NOT_FOUND("/usr/local/bin/containerd"), package: out("", 1) });
const containerdLocal = () => result("containerd-installed", { local: out(rt("debian12-containerd-version.txt")), package: out("", 1) });
const containerdPackage = (version = "containerd containerd.io 1.6.28 ae07eda36dd25f8a1b98dfbf587313b99c0190bb") =>
  result("containerd-installed", {
    local: NOT_FOUND("/usr/local/bin/containerd"),
    package: out(`/usr/bin/containerd\n${version}\ncontainerd.io: /usr/bin/containerd\n`),
  });
// systemctl show's own order of these properties, as recorded on a practice node (Debian 12, systemd 252).
const show = (active: string, enabled: string, unit: string) => out(`ActiveState=${active}\nFragmentPath=${unit}\nUnitFileState=${enabled}\n`);
const serviceState = (active: string, enabled: string, unit: string) => result("containerd-active", { show: show(active, enabled, unit) });
// A host without containerd.service: recorded on a fresh practice node.
const serviceFresh = () => result("containerd-active", { show: out("ActiveState=inactive\nFragmentPath=\nUnitFileState=\n") });
const file = (content: string, mode = "644"): FileState => ({ kind: "file", mode, content });

// The release list is read from the environment: pin it per test (upstream unless a test sets local).
beforeEach(() => {
  vi.stubEnv("NODEPREP_LOCAL_RELEASES", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the catalog", () => {
  it("registers the six runtime steps in the seed's order, then swap (the kubelet's), with their probes", () => {
    expect(steps.map((s) => s.id)).toEqual(["kernel-modules", "sysctl", "containerd", "runc", "cni-plugins", "containerd-service", "cgroup-driver", "kubelet-cgroup-driver", "swap"]);
    for (const s of steps) for (const id of [...s.requires, ...s.observe.probes, ...s.verify]) expect(() => getProbe(id)).not.toThrow();
  });

  it("every runtime probe batches into the one script, and its commands hold no outside value", () => {
    const ids = ["containerd-installed", "runc-installed", "cni-plugins", "containerd-active", "ctr-version", "containerd-systemd-cgroup", "cri-plugin", "kubelet-cgroup-driver"];
    const o = observation(ids, [CONTAINERD_CONFIG], { nonce: "0123456789abcdef" });
    expect(o.script).toContain("/usr/local/bin/containerd --version");
    expect(o.script).toContain("ctr --connect-timeout 5s version");
    const { probes } = o.finish("");
    expect(probes.map((p) => p.status)).toEqual(Array(ids.length).fill("unknown"));
  });
});

describe("containerd plan", () => {
  it("fresh amd64 Debian 12 (glibc 2.36): the newest upstream tarball, extracted under /usr/local", () => {
    const plan = containerdStep.plan(debianFacts, obs([containerdFresh()]));
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: "upload-artifact", artifactId: "containerd@2.2.1:amd64", sha256: "f5d8e90ecb6c1c7e33ecddf8cc268a93b9e5b54e0e850320d765511d76624f41", dest: { kind: "extract", dir: "/usr/local" } }),
    ]);
    expect(plan.actions[0].reason).toMatch(/^not installed: containerd-2\.2\.1-linux-amd64\.tar\.gz/);
  });

  it("the version the operator picked: that release and its own sum; one the release list lacks is refused, naming the known ones", () => {
    const plan = containerdStep.plan(debianFacts, obs([containerdFresh()]), { versions: { containerd: "2.1.6" } });
    expect(plan.actions).toEqual([
      expect.objectContaining({ artifactId: "containerd@2.1.6:amd64", sha256: "4793dc5c1f34ebf8402990d0050f3c294aa3c794cd5a4baa403c1cf10602326d" }),
    ]);
    expect(() => containerdStep.plan(debianFacts, obs([containerdFresh()]), { versions: { containerd: "1.0.0" } })).toThrow(
      /containerd 1\.0\.0 is not in the release catalogue; known: 2\.2\.1, 2\.1\.6/,
    );
    // Another component's pick does not change containerd's.
    expect(containerdStep.plan(debianFacts, obs([containerdFresh()]), { versions: { runc: "1.1.14" } }).actions[0]).toMatchObject({ artifactId: "containerd@2.2.1:amd64" });
  });

  it("fresh arm64: the arm64 tarball and its own sum", () => {
    const plan = containerdStep.plan(facts({ arch: "arm64", machine: "aarch64" }), obs([containerdFresh()]));
    expect(plan.actions[0]).toMatchObject({ artifactId: "containerd@2.2.1:arm64", sha256: "dac15a0d412a24be8bfe6a40cec8f51829062725169f1e72ac7d120a891ef5b6" });
  });

  it("glibc 2.31: the default is the newest release that runs there (2.1.6); 2.2.1 asked for is refused, naming the static build", () => {
    const old = facts({ libc: { kind: "glibc", version: "2.31" } });
    expect(containerdStep.plan(old, obs([containerdFresh()])).actions[0]).toMatchObject({ artifactId: "containerd@2.1.6:amd64" });
    expect(() => containerdStep.plan(old, obs([containerdFresh()]), { versions: { containerd: "2.2.1" } })).toThrow(
      /refusing containerd-2\.2\.1-linux-amd64\.tar\.gz on this host: .*needs glibc >= 2\.35, the host has 2\.31.*containerd-static-2\.2\.1-linux-amd64\.tar\.gz/,
    );
  });

  it("musl (Alpine): refused, pointing to the static build", () => {
    expect(() => containerdStep.plan(facts({ libc: { kind: "musl", version: "1.2.5" }, os: { id: "alpine", versionId: "3.20", prettyName: "Alpine Linux v3.20", idLike: [] } }), obs([containerdFresh()]))).toThrow(
      /does not run on musl \(Alpine\).*Use the statically linked build instead: containerd-static-2\.2\.1-linux-amd64\.tar\.gz/,
    );
  });

  it("an architecture nobody publishes for (armv7l) is refused, naming what exists", () => {
    expect(() => containerdStep.plan(facts({ arch: "arm", machine: "armv7l" }), obs([containerdFresh()]))).toThrow(/not available for arm; the catalogue has it for: amd64, arm64/);
  });

  it("already installed from the tarball: nothing to do", () => {
    const plan = containerdStep.plan(debianFacts, obs([containerdLocal()]));
    expect(plan.actions).toEqual([]);
    expect(plan.notes[0]).toContain("containerd 1.6.20 (1.6.20~ds1) at /usr/local/bin/containerd: already installed");
  });

  it("installed by a package (containerd.io): reported, not overwritten, CNI reminder", () => {
    const probe = containerdPackage();
    expect(probe).toMatchObject({ status: "ok", observed: "containerd 1.6.28 from package containerd.io (dpkg)" });
    const plan = containerdStep.plan(debianFacts, obs([probe]));
    expect(plan.actions).toEqual([]);
    expect(plan.notes.join(" ")).toMatch(/does not install a second containerd over a package.*does not contain the CNI plugins/);
  });

  it("with the lab's local release registered: its Debian build, and glibc 2.36 required", () => {
    vi.stubEnv("NODEPREP_LOCAL_RELEASES", LOCAL_RELEASES);
    const plan = containerdStep.plan(debianFacts, obs([containerdFresh()]));
    expect(plan.actions[0]).toMatchObject({ artifactId: "containerd@1.6.20~local:amd64", sha256: "a7fac0d6f203a575e5209cc6cb1320f7e62c1cd36c44c0c10d28d1d4d145dcf0" });
    expect(() => containerdStep.plan(facts({ libc: { kind: "glibc", version: "2.31" } }), obs([containerdFresh()]))).toThrow(/needs glibc >= 2\.36, the host has 2\.31/);
    expect(() => containerdStep.plan(facts({ arch: "arm64" }), obs([containerdFresh()]))).toThrow(/not available for arm64/);
  });
});

describe("containerd-installed probe", () => {
  it("a glibc binary that cannot run is a failure that says why, and the plan reinstalls", () => {
    const broken = result("containerd-installed", { local: out("sh: 1: /usr/local/bin/containerd: Exec format error\n", 2), package: out("", 1) });
    expect(broken.status).toBe("fail");
    expect(broken.observed).toBe("/usr/local/bin/containerd does not run (exit 2)");
    expect(containerdStep.plan(debianFacts, obs([broken])).actions).toHaveLength(1);
  });
  it("two containerds (tarball and package) is a warning", () => {
    const both = result("containerd-installed", {
      local: out(rt("debian12-containerd-version.txt")),
      package: out("/usr/bin/containerd\ncontainerd containerd.io 1.6.28 x\ncontainerd.io: /usr/bin/containerd\n"),
    });
    expect(both.status).toBe("warn");
    expect(both.detail).toContain("Two containerd binaries");
  });
});

describe("runc plan", () => {
  const fresh = () => result("runc-installed", { local: NOT_FOUND("/usr/local/sbin/runc"), package: out("", 1) });
  it("fresh, each arch: install -m 755 as /usr/local/sbin/runc", () => {
    expect(runcStep.plan(debianFacts, obs([fresh()])).actions).toEqual([
      expect.objectContaining({ kind: "upload-artifact", artifactId: "runc@1.3.4:amd64", dest: { kind: "file", path: "/usr/local/sbin/runc", mode: "755" } }),
    ]);
    expect(runcStep.plan(facts({ arch: "arm64" }), obs([fresh()])).actions[0]).toMatchObject({ artifactId: "runc@1.3.4:arm64" });
  });
  it("upstream runc is static: musl is fine", () => {
    expect(runcStep.plan(facts({ libc: { kind: "musl", version: null } }), obs([fresh()])).actions).toHaveLength(1);
  });
  it("done: nothing; the recorded runc --version is reported", () => {
    const done = result("runc-installed", { local: out(rt("debian12-runc-version.txt")), package: out("", 1) });
    expect(done.observed).toBe("runc 1.1.5 (1.1.5+ds1) at /usr/local/sbin/runc; spec 1.0.2-dev, libseccomp 2.5.4");
    expect(runcStep.plan(debianFacts, obs([done])).actions).toEqual([]);
  });
  it("a packaged runc (containerd.io ships one) counts", () => {
    const pkg = result("runc-installed", {
      local: NOT_FOUND("/usr/local/sbin/runc"),
      package: out("/usr/bin/runc\nrunc version 1.1.12\ncommit: v1.1.12-0-g51d5e94\nspec: 1.0.2-dev\ncontainerd.io: /usr/bin/runc\n"),
    });
    expect(pkg).toMatchObject({ status: "ok", observed: "runc 1.1.12 from package containerd.io (dpkg)" });
    expect(runcStep.plan(debianFacts, obs([pkg])).actions).toEqual([]);
  });
});

describe("cni-plugins plan", () => {
  it("fresh: the tarball into /opt/cni/bin", () => {
    const fresh = result("cni-plugins", { ls: out("ls: cannot access '/opt/cni/bin': No such file or directory\n", 2) });
    expect(fresh.observed).toBe("/opt/cni/bin does not exist");
    expect(cniPluginsStep.plan(debianFacts, obs([fresh])).actions).toEqual([
      expect.objectContaining({ kind: "upload-artifact", artifactId: "cni-plugins@1.8.0:amd64", dest: { kind: "extract", dir: "/opt/cni/bin" } }),
    ]);
  });
  it("partly there (a provider's binary only): installs, naming what is missing", () => {
    const partial = result("cni-plugins", { ls: out("calico\nloopback\n") });
    expect(partial.checks.map((c) => [c.name, c.status])).toEqual([["bridge", "fail"], ["host-local", "fail"], ["loopback", "ok"], ["portmap", "fail"]]);
    expect(cniPluginsStep.plan(debianFacts, obs([partial])).actions[0].reason).toContain("Missing: bridge, host-local, portmap.");
  });
  it("done (recorded ls of the lab's 1.1.1): nothing", () => {
    const done = result("cni-plugins", { ls: out(rt("debian12-ls-cni.txt")) });
    expect(done.status).toBe("ok");
    expect(cniPluginsStep.plan(debianFacts, obs([done])).actions).toEqual([]);
  });
});

describe("containerd-service plan", () => {
  it("the shipped unit is byte for byte the lab's (and upstream's) containerd.service", () => {
    expect(createHash("sha256").update(UPSTREAM_CONTAINERD_SERVICE).digest("hex")).toBe("12a76c13cad132222d2b3d2025e56212d205d37eca77508dbbfcdf6ababbf70a");
  });

  it("fresh, upstream source: write the unit, daemon-reload, enable --now", () => {
    const plan = containerdServiceStep.plan(debianFacts, obs([containerdLocal(), serviceFresh()], { [CONTAINERD_UNIT]: { kind: "absent" } }));
    expect(plan.actions.map((a) => a.kind)).toEqual(["write-file", "run-command", "enable-unit"]);
    expect(plan.actions[0]).toMatchObject({ path: "/usr/local/lib/systemd/system/containerd.service", mode: 0o644, content: UPSTREAM_CONTAINERD_SERVICE });
    expect(plan.actions[1]).toMatchObject({ argv: ["systemctl", "daemon-reload"] });
    expect(plan.actions[2]).toMatchObject({ unit: "containerd", now: true });
  });

  it("fresh, local release: the release's containerd-service artifact", () => {
    vi.stubEnv("NODEPREP_LOCAL_RELEASES", LOCAL_RELEASES);
    const plan = containerdServiceStep.plan(debianFacts, obs([containerdLocal(), serviceFresh()], { [CONTAINERD_UNIT]: { kind: "absent" } }));
    expect(plan.actions[0]).toMatchObject({
      kind: "upload-artifact",
      artifactId: "containerd-service@1.6.20~local:any",
      dest: { kind: "file", path: CONTAINERD_UNIT, mode: "644" },
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(["upload-artifact", "run-command", "enable-unit"]);
  });

  it("fresh, local release whose unit the dashboard has: a file like any other, with its diff (checked against the release's sum)", () => {
    const local = fs.mkdtempSync(path.join(os.tmpdir(), "np-unit-release-"));
    try {
      fs.copyFileSync(path.join(LOCAL_RELEASES, "releases.json"), path.join(local, "releases.json"));
      fs.writeFileSync(path.join(local, "containerd.service"), UPSTREAM_CONTAINERD_SERVICE);
      vi.stubEnv("NODEPREP_LOCAL_RELEASES", local);
      const plan = containerdServiceStep.plan(debianFacts, obs([containerdLocal(), serviceFresh()], { [CONTAINERD_UNIT]: { kind: "absent" } }));
      expect(plan.actions.map((a) => a.kind)).toEqual(["write-file", "run-command", "enable-unit"]);
      expect(plan.actions[0]).toMatchObject({ path: CONTAINERD_UNIT, mode: 0o644, content: UPSTREAM_CONTAINERD_SERVICE });
      expect(renderAction(plan.actions[0], {}).kind === "write-file" && (renderAction(plan.actions[0], {}) as { diff: string }).diff).toContain("+ExecStart=/usr/local/bin/containerd");
      // A copy whose bytes do not match the release list is not shown as the unit: staged and checked on the host instead.
      fs.writeFileSync(path.join(local, "containerd.service"), UPSTREAM_CONTAINERD_SERVICE + "# tampered\n");
      expect(containerdServiceStep.plan(debianFacts, obs([containerdLocal(), serviceFresh()], { [CONTAINERD_UNIT]: { kind: "absent" } })).actions[0].kind).toBe("upload-artifact");
    } finally {
      fs.rmSync(local, { recursive: true, force: true });
    }
  });

  it("done (unit right, active, enabled): nothing, with either source", () => {
    const done = obs([containerdLocal(), serviceState("active", "enabled", CONTAINERD_UNIT)], { [CONTAINERD_UNIT]: file(UPSTREAM_CONTAINERD_SERVICE) });
    expect(containerdServiceStep.plan(debianFacts, done).actions).toEqual([]);
    vi.stubEnv("NODEPREP_LOCAL_RELEASES", LOCAL_RELEASES);
    expect(containerdServiceStep.plan(debianFacts, done).actions).toEqual([]);
  });

  it("running, but the unit was edited: rewrite, reload, restart (no enable needed)", () => {
    const plan = containerdServiceStep.plan(
      debianFacts,
      obs([containerdLocal(), serviceState("active", "enabled", CONTAINERD_UNIT)], { [CONTAINERD_UNIT]: file(UPSTREAM_CONTAINERD_SERVICE + "# edited\n") }),
    );
    expect(plan.actions.map((a) => (a.kind === "run-command" ? a.argv.join(" ") : a.kind))).toEqual(["write-file", "systemctl daemon-reload", "systemctl restart containerd"]);
  });

  it("a packaged containerd keeps its own unit: only enable --now", () => {
    const plan = containerdServiceStep.plan(debianFacts, obs([containerdPackage(), serviceState("inactive", "disabled", "/lib/systemd/system/containerd.service")], { [CONTAINERD_UNIT]: { kind: "absent" } }));
    expect(plan.actions).toEqual([expect.objectContaining({ kind: "enable-unit", unit: "containerd", now: true })]);
    expect(plan.notes[0]).toContain("/lib/systemd/system/containerd.service is used as it is");
  });

  it("not systemd: refused", () => {
    expect(() => containerdServiceStep.plan(facts({ init: "other" }), obs([containerdLocal(), serviceFresh()]))).toThrow(/init is not systemd/);
  });

  it("service probe: recorded running and fresh states; ctr version with and without a server", () => {
    const running = serviceState("active", "enabled", CONTAINERD_UNIT);
    expect(running).toMatchObject({ status: "ok", observed: `active, enabled (${CONTAINERD_UNIT})` });
    expect(serviceFresh()).toMatchObject({ status: "fail", observed: "inactive, no unit file" });
    expect(result("ctr-version", { ctr: out(rt("debian12-ctr-version.txt")) })).toMatchObject({ status: "ok", observed: "client 1.6.20~ds1, server 1.6.20~ds1" });
    const down = result("ctr-version", { ctr: out(rt("debian12-ctr-version-no-server.txt"), 1) });
    expect(down).toMatchObject({ status: "fail", observed: "client 1.6.20~ds1, server not answering" });
    expect(down.checks.map((c) => c.status)).toEqual(["ok", "fail"]);
    expect(result("ctr-version", { ctr: out("no socket at /run/containerd/containerd.sock: containerd is not running\n", 1) }).status).toBe("fail");
  });
});

describe("cgroup-driver plan", () => {
  const dump = (text: string, exitCode = 0) => result("containerd-systemd-cgroup", { dump: out(text, exitCode), restart: out("1795886939 1795886940\n") });
  const missing = () =>
    result("containerd-systemd-cgroup", {
      dump: out("containerd: failed to load TOML: /etc/containerd/config.toml: open /etc/containerd/config.toml: no such file or directory\n", 1),
      restart: out("", 1),
    });
  const hostFixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "probes", "host-fixtures", name), "utf8");
  const v2 = () => result("cgroup-version", { fstype: out(hostFixture("debian12-stat-cgroup-v2.txt")), mounts: out(hostFixture("debian12-mounts-cgroup-v2.txt")) });
  const base = [containerdLocal(), serviceState("active", "enabled", CONTAINERD_UNIT)];

  it("fresh (no config.toml), containerd 1.6: writes a version 2 config with SystemdCgroup, then restarts", () => {
    const probe = missing();
    expect(probe).toMatchObject({ status: "fail", observed: "no /etc/containerd/config.toml: SystemdCgroup false (containerd's default, cgroupfs)" });
    const plan = cgroupDriverStep.plan(debianFacts, obs([...base, v2(), probe], { [CONTAINERD_CONFIG]: { kind: "absent" } }));
    expect(plan.actions.map((a) => a.kind)).toEqual(["write-file", "run-command"]);
    const write = plan.actions[0];
    if (write.kind !== "write-file") throw new Error("expected a write");
    expect(write.content).toContain("version = 2\n");
    expect(write.content).toContain('[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\nSystemdCgroup = true');
    expect(plan.actions[1]).toMatchObject({ argv: ["systemctl", "restart", "containerd"] });
    expect(plan.notes[0]).toMatch(/^This host runs cgroup v2 \(cgroup2fs\)\. Unified cgroup v2 hierarchy\. On cgroup v2 systemd manages the one unified hierarchy: .*use the systemd driver/);
  });

  it("containerd 2.x: the version 3 paths", () => {
    const v2 = result("containerd-installed", { local: out("containerd github.com/containerd/containerd/v2 v2.2.1 dea7da592f5d1d2b7755e3a161be07f43fad8f75\n"), package: out("", 1) });
    const plan = cgroupDriverStep.plan(debianFacts, obs([v2, base[1], missing()], { [CONTAINERD_CONFIG]: { kind: "absent" } }));
    const write = plan.actions[0];
    if (write.kind !== "write-file") throw new Error("expected a write");
    expect(write.content).toContain("version = 3\n");
    expect(write.content).toContain('[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]');
  });

  it("Docker's config.toml (disabled_plugins = [\"cri\"]): the recorded dump fails, the plan re-enables CRI and keeps the rest", () => {
    const docker = '#   Copyright 2018-2022 Docker Inc.\n\ndisabled_plugins = ["cri"]\n\n#root = "/var/lib/containerd"\noom_score = -500\n';
    const probe = dump(rt("debian12-config-dump-cri-disabled.txt"));
    expect(probe.status).toBe("fail");
    expect(probe.checks.find((c) => c.name === "CRI plugin enabled")).toMatchObject({ status: "fail", observed: 'disabled_plugins = ["cri"]' });
    const plan = cgroupDriverStep.plan(debianFacts, obs([...base, probe], { [CONTAINERD_CONFIG]: file(docker, "644") }));
    const write = plan.actions[0];
    if (write.kind !== "write-file") throw new Error("expected a write");
    expect(write.reason).toMatch(/re-enable the CRI plugin: remove "cri" from disabled_plugins/);
    expect(write.content).toContain("disabled_plugins = []");
    expect(write.content).toContain("oom_score = -500");
    expect(plan.actions[1]).toMatchObject({ argv: ["systemctl", "restart", "containerd"] });
    const cri = result("cri-plugin", { plugins: out(rt("debian12-ctr-plugins-cri-disabled.txt")) });
    expect(cri).toMatchObject({ status: "fail", observed: "not loaded" });
  });

  it("done: the config nodeprep wrote, effective true, CRI ok: nothing (and the file is not rewritten)", () => {
    const content = (() => {
      const p = cgroupDriverStep.plan(debianFacts, obs([...base, missing()], { [CONTAINERD_CONFIG]: { kind: "absent" } })).actions[0];
      return p.kind === "write-file" ? p.content : "";
    })();
    const probe = dump(dumpFixture("containerd-1.6.20-config-dump-nodeprep.toml"));
    expect(probe).toMatchObject({ status: "ok", observed: "SystemdCgroup = true (containerd 1.x schema)" });
    const plan = cgroupDriverStep.plan(debianFacts, obs([...base, probe], { [CONTAINERD_CONFIG]: file(content) }));
    expect(plan.actions).toEqual([]);
    expect(result("cri-plugin", { plugins: out(rt("debian12-ctr-plugins-default.txt")) })).toMatchObject({ status: "ok", observed: "cri: ok" });
  });

  it("config right but containerd started before it changed: restart only", () => {
    const content = cgroupDriverStep.plan(debianFacts, obs([...base, missing()], { [CONTAINERD_CONFIG]: { kind: "absent" } })).actions[0];
    const stale = result("containerd-systemd-cgroup", { dump: out(dumpFixture("containerd-1.6.20-config-dump-nodeprep.toml")), restart: out("1795886999 1795886940\n") });
    expect(stale.status).toBe("warn");
    const plan = cgroupDriverStep.plan(debianFacts, obs([...base, stale], { [CONTAINERD_CONFIG]: file(content.kind === "write-file" ? content.content : "") }));
    expect(plan.actions).toEqual([expect.objectContaining({ kind: "run-command", argv: ["systemctl", "restart", "containerd"] })]);
  });

  it("the default dump (SystemdCgroup = false) fails; cgroup v1 is noted", () => {
    expect(dump(dumpFixture("containerd-1.6.20-config-dump-default.toml")).checks[0]).toMatchObject({ name: "SystemdCgroup", status: "fail", observed: "false" });
    const v1 = result("cgroup-version", { fstype: out("tmpfs\n"), mounts: out("cgroup /sys/fs/cgroup/memory cgroup rw 0 0\n") });
    const plan = cgroupDriverStep.plan(facts({ cgroup: "v1" }), obs([...base, v1, missing()], { [CONTAINERD_CONFIG]: { kind: "absent" } }));
    expect(plan.notes[0]).toMatch(/^This host runs cgroup v1 \(tmpfs\)\. cgroup v1 only \(legacy hierarchy\)\. On cgroup v1 the systemd driver still applies: /);
  });

  it("containerd 1.4 (Debian 11): its config dump prints runtime options as an empty table, so the value is read from config.toml", () => {
    const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "..", "runtime", "fixtures", name), "utf8");
    const dump14 = out(fixture("containerd-1.4.13-config-dump-systemd.toml"));
    const cell = (file: string) => result("containerd-systemd-cgroup", { dump: dump14, restart: out("1795886939 1795886940\n"), fstype: out("cgroup2fs\n"), file: out(file) });
    expect(cell(fixture("containerd-1.4.13-config-systemd.toml"))).toMatchObject({
      status: "ok",
      observed: "SystemdCgroup = true (containerd 1.x schema; from /etc/containerd/config.toml: this containerd's config dump does not print runtime options)",
    });
    expect(cell("version = 2\n").status).toBe("fail");
    // containerd 1.6 prints the options: the dump is the truth, whatever the file says.
    const dump16 = result("containerd-systemd-cgroup", { dump: out(dumpFixture("containerd-1.6.20-config-dump-default.toml")), restart: out(""), file: out(fixture("containerd-1.4.13-config-systemd.toml")) });
    expect(dump16.checks[0]).toMatchObject({ name: "SystemdCgroup", status: "fail", observed: "false" });
  });

  it("the health cell says which cgroup version the driver runs on and what it means there", () => {
    const cell = (fstype: string) =>
      result("containerd-systemd-cgroup", { dump: out(dumpFixture("containerd-1.6.20-config-dump-systemd.toml")), restart: out("1795886939 1795886940\n"), fstype: out(fstype) });
    expect(cell("tmpfs\n")).toMatchObject({ status: "ok", detail: "containerd uses the systemd cgroup driver (this host runs cgroup v1: the systemd driver still applies on v1)." });
    expect(cell("cgroup2fs\n").detail).toBe("containerd uses the systemd cgroup driver (this host runs cgroup v2: the systemd driver is the one to use).");
  });

  it("refuses a host without systemd, and an unreadable config.toml, with the reason", () => {
    expect(() => cgroupDriverStep.plan(facts({ init: "other" }), obs([...base, missing()]))).toThrow(/needs systemd as init/);
    expect(() => cgroupDriverStep.plan(debianFacts, obs([...base, missing()], { [CONTAINERD_CONFIG]: file("version = [\n") }))).toThrow(/config.toml is not valid TOML \(line 2, column 1\)/);
  });
});

describe("kubelet-cgroup-driver", () => {
  const kubelet = (yaml: string | null, dumpText: string) =>
    result("kubelet-cgroup-driver", {
      kubelet: yaml === null ? out("cat: /var/lib/kubelet/config.yaml: No such file or directory\n", 1) : out(yaml),
      dump: out(dumpText),
    });
  const systemd = dumpFixture("containerd-1.6.20-config-dump-nodeprep.toml");
  const cgroupfs = dumpFixture("containerd-1.6.20-config-dump-default.toml");

  it("no kubelet yet, containerd on systemd: ok, and the plan explains kubeadm's default", () => {
    const probe = kubelet(null, systemd);
    expect(probe.status).toBe("ok");
    const plan = kubeletCgroupDriverStep.plan(debianFacts, obs([probe]));
    expect(plan.actions).toEqual([]);
    expect(plan.notes[0]).toContain("kubeadm 1.22 and later sets cgroupDriver: systemd");
  });
  it("kubelet on cgroupfs (set, or unset = the kubelet's default) vs containerd on systemd: a failure with the fix", () => {
    for (const yaml of ["kind: KubeletConfiguration\ncgroupDriver: cgroupfs\n", "kind: KubeletConfiguration\n"]) {
      const probe = kubelet(yaml, systemd);
      expect(probe).toMatchObject({ status: "fail", observed: "kubelet: cgroupfs, containerd: systemd" });
      expect(probe.detail).toContain("Set `cgroupDriver: systemd` in /var/lib/kubelet/config.yaml and in the kubelet-config ConfigMap");
    }
  });
  it("kubelet on systemd but containerd on cgroupfs: points at the cgroup driver step", () => {
    const probe = kubelet("cgroupDriver: systemd\n", cgroupfs);
    expect(probe.status).toBe("fail");
    expect(probe.detail).toContain("Run the cgroup driver step");
  });
  it("both systemd: ok; an old kubelet gets a note", () => {
    expect(kubelet("cgroupDriver: systemd\n", systemd).status).toBe("ok");
    const plan = kubeletCgroupDriverStep.plan(facts({ kubelet: { present: true, path: "/usr/bin/kubelet", version: "v1.21.14" } }), obs([kubelet("cgroupDriver: systemd\n", systemd)]));
    expect(plan.notes[0]).toMatch(/kubelet 1\.21\.14 is older than 1\.22/);
  });
});
