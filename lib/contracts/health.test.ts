import { describe, expect, it } from "vitest";
import { layerOf, worstState } from "./health";

describe("layerOf", () => {
  it("places probes by the step that fixes them, then by id, so new catalog probes land without code", () => {
    expect(layerOf({ probeId: "module-br-netfilter", fixStepId: "kernel-modules" })).toBe("kernel-modules");
    expect(layerOf({ probeId: "sysctl-values", fixStepId: "sysctl" })).toBe("sysctl");
    expect(layerOf({ probeId: "runc-installed", fixStepId: "runc" })).toBe("runc");
    expect(layerOf({ probeId: "cni-plugins", fixStepId: "cni-plugins" })).toBe("cni");
    expect(layerOf({ probeId: "containerd-active", fixStepId: "containerd-service" })).toBe("containerd");
    expect(layerOf({ probeId: "containerd-systemd-cgroup", fixStepId: "cgroup-driver" })).toBe("cgroup-driver");
    expect(layerOf({ probeId: "kubelet-cgroup-driver", fixStepId: "kubelet-cgroup-driver" })).toBe("cgroup-driver");
    expect(layerOf({ probeId: "swap-off", fixStepId: null })).toBe("host");
    expect(layerOf({ probeId: "cgroup-version", fixStepId: null })).toBe("host");
    expect(layerOf({ probeId: "containerd-from-package", fixStepId: null })).toBe("containerd");
    expect(layerOf({ probeId: "ntp-synced", fixStepId: null })).toBe("other");
  });
});

describe("worstState", () => {
  it("orders ok < warn < unknown < fail < unreachable, and is null for nothing", () => {
    expect(worstState([])).toBeNull();
    expect(worstState(["ok", "warn", "ok"])).toBe("warn");
    expect(worstState(["unknown", "warn"])).toBe("unknown");
    expect(worstState(["fail", "unknown", "ok"])).toBe("fail");
    expect(worstState(["fail", "unreachable"])).toBe("unreachable");
  });
});
