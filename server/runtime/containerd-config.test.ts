import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContainerdConfigError, effectiveSystemdCgroup, parseContainerdConfig, planContainerdConfig } from "./containerd-config";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

describe("planContainerdConfig for containerd 1.x (schema version 2)", () => {
  it("writes a fresh config with the systemd cgroup driver and an explicit runc runtime_type", () => {
    const plan = planContainerdConfig(1, null);
    const config = parseContainerdConfig(plan.content) as any;
    expect(config.version).toBe(2);
    const runc = config.plugins["io.containerd.grpc.v1.cri"].containerd.runtimes.runc;
    // Without runtime_type, containerd 1.6 replaces its default runc entry with an empty one
    // (recorded: fixtures/containerd-1.6.20-config-dump-systemd.toml has runtime_type = "").
    expect(runc.runtime_type).toBe("io.containerd.runc.v2");
    expect(runc.options.SystemdCgroup).toBe(true);
    expect(plan.changes.join("\n")).toMatch(/SystemdCgroup = true/);
  });

  it("keeps an operator's other settings and shows what it changed", () => {
    const existing = [
      "version = 2",
      'root = "/data/containerd"',
      "[grpc]",
      '  address = "/run/containerd/containerd.sock"',
      '[plugins."io.containerd.grpc.v1.cri"]',
      '  sandbox_image = "registry.k8s.io/pause:3.9"',
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
      "  SystemdCgroup = false",
      '  BinaryName = "/usr/local/sbin/runc"',
      "",
    ].join("\n");
    const plan = planContainerdConfig(1, existing);
    const config = parseContainerdConfig(plan.content) as any;
    expect(config.root).toBe("/data/containerd");
    expect(config.grpc.address).toBe("/run/containerd/containerd.sock");
    expect(config.plugins["io.containerd.grpc.v1.cri"].sandbox_image).toBe("registry.k8s.io/pause:3.9");
    const options = config.plugins["io.containerd.grpc.v1.cri"].containerd.runtimes.runc.options;
    expect(options).toEqual({ SystemdCgroup: true, BinaryName: "/usr/local/sbin/runc" });
    expect(plan.changes.some((c) => c.includes("was false"))).toBe(true);
  });

  it("re-enables the CRI plugin that Docker's containerd.io package disables", () => {
    const plan = planContainerdConfig(1, 'disabled_plugins = ["cri"]\n');
    const config = parseContainerdConfig(plan.content) as any;
    expect(config.disabled_plugins).toEqual([]);
    expect(plan.changes.join("\n")).toMatch(/re-enable the CRI plugin: remove "cri"/);
    expect(plan.warnings.join("\n")).toMatch(/schema version 1/);
  });

  it("keeps other disabled plugins", () => {
    const plan = planContainerdConfig(1, 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs"]\n');
    expect((parseContainerdConfig(plan.content) as any).disabled_plugins).toEqual(["io.containerd.snapshotter.v1.btrfs"]);
  });

  it("plans nothing and returns the file byte for byte when it is already right", () => {
    const first = planContainerdConfig(1, null);
    const second = planContainerdConfig(1, first.content);
    expect(second.changes).toEqual([]);
    expect(second.content).toBe(first.content);
  });

  it("refuses a file that is not TOML, naming the line", () => {
    expect(() => planContainerdConfig(1, "version = 2\n[plugins\n")).toThrow(ContainerdConfigError);
    expect(() => planContainerdConfig(1, "version = 2\n[plugins\n")).toThrow(/line 2/);
  });

  it("refuses a schema newer than the installed containerd understands", () => {
    expect(() => planContainerdConfig(1, "version = 3\n")).toThrow(/newer than containerd 1.x/);
  });
});

describe("planContainerdConfig for containerd 2.x (schema version 3)", () => {
  it("uses the io.containerd.cri.v1.runtime plugin path", () => {
    const plan = planContainerdConfig(2, null);
    const config = parseContainerdConfig(plan.content) as any;
    expect(config.version).toBe(3);
    expect(config.plugins["io.containerd.cri.v1.runtime"].containerd.runtimes.runc.options.SystemdCgroup).toBe(true);
    expect(config.plugins["io.containerd.grpc.v1.cri"]).toBeUndefined();
  });

  it("upgrades a version 2 file, keeping its settings and warning about old plugin names", () => {
    const plan = planContainerdConfig(2, 'version = 2\nroot = "/srv/containerd"\n');
    expect((parseContainerdConfig(plan.content) as any).root).toBe("/srv/containerd");
    expect(plan.warnings.join("\n")).toMatch(/version 2; it is rewritten as version 3/);
  });
});

describe("effectiveSystemdCgroup on real `containerd config dump` output (containerd 1.6.20)", () => {
  it("reads false from the defaults", () => {
    expect(effectiveSystemdCgroup(fixture("containerd-1.6.20-config-dump-default.toml"), 1)).toBe(false);
  });
  it("reads true once the option is set", () => {
    expect(effectiveSystemdCgroup(fixture("containerd-1.6.20-config-dump-systemd.toml"), 1)).toBe(true);
  });
  it("reads the config nodeprep writes as containerd merges it, with runc's runtime_type intact", () => {
    const dump = fixture("containerd-1.6.20-config-dump-nodeprep.toml");
    expect(effectiveSystemdCgroup(dump, 1)).toBe(true);
    expect((parseContainerdConfig(dump) as any).plugins["io.containerd.grpc.v1.cri"].containerd.runtimes.runc.runtime_type).toBe("io.containerd.runc.v2");
  });
  it("says null when the runtime is not there", () => {
    expect(effectiveSystemdCgroup("version = 2\n", 1)).toBeNull();
  });
});
