import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtinMatches, parseLsmod } from "./lsmod";
import { parseSysctlConf, parseSysctlOutput } from "./sysctl";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8");

describe("parseLsmod on a Debian 12 practice node", () => {
  it("reads every row of a fresh host and finds neither module", () => {
    const rows = parseLsmod(fixture("debian12-lsmod-fresh.txt"));
    expect(rows).toHaveLength(66); // 67 lines minus the header
    expect(rows.find((r) => r.name === "drm")).toEqual({
      name: "drm",
      size: 614400,
      useCount: 6,
      usedBy: ["drm_kms_helper", "bochs", "drm_vram_helper", "drm_ttm_helper", "ttm"],
    });
    expect(rows.some((r) => r.name === "overlay" || r.name === "br_netfilter")).toBe(false);
  });

  it("finds overlay and br_netfilter after modprobe, bridge pulled in as a dependency", () => {
    const rows = parseLsmod(fixture("debian12-lsmod-loaded.txt"));
    expect(rows.find((r) => r.name === "overlay")).toEqual({ name: "overlay", size: 163840, useCount: 0, usedBy: [] });
    expect(rows.find((r) => r.name === "br_netfilter")?.size).toBe(36864);
    expect(rows.find((r) => r.name === "bridge")?.usedBy).toEqual(["br_netfilter"]);
  });

  it("reads `lsmod | grep br_netfilter`, where bridge's row mentions br_netfilter too", () => {
    const grepped = fixture("debian12-lsmod-loaded.txt")
      .split("\n")
      .filter((l) => l.includes("br_netfilter"))
      .join("\n");
    expect(parseLsmod(grepped).map((r) => r.name)).toEqual(["br_netfilter", "bridge"]);
  });

  it("skips what is not a row: a missing lsmod, a kernel without /proc/modules", () => {
    expect(parseLsmod("sh: 1: lsmod: not found\n")).toEqual([]);
    expect(parseLsmod("lsmod: ERROR: could not open '/proc/modules': No such file or directory\n")).toEqual([]);
  });
});

describe("modules.builtin", () => {
  const builtin = fixture("debian12-modules.builtin");
  it("knows unix and ipv6 are built into Debian's kernel (absent from lsmod)", () => {
    expect(builtinMatches(builtin, "unix")).toEqual(["kernel/net/unix/unix.ko"]);
    expect(builtinMatches(builtin, "ipv6")).toEqual(["kernel/net/ipv6/ipv6.ko"]);
    expect(parseLsmod(fixture("debian12-lsmod-fresh.txt")).some((r) => r.name === "unix")).toBe(false);
  });
  it("does not list overlay or br_netfilter there: they are loadable modules", () => {
    expect(builtinMatches(builtin, "overlay")).toEqual([]);
    expect(builtinMatches(builtin, "br_netfilter")).toEqual([]);
  });
  it("matches the whole module name, with - and _ alike, and compressed modules", () => {
    expect(builtinMatches("kernel/fs/overlayfs/overlay.ko\nkernel/x/overlay_x.ko\n", "overlay")).toEqual(["kernel/fs/overlayfs/overlay.ko"]);
    expect(builtinMatches("kernel/net/bridge/br_netfilter.ko.xz\n", "br-netfilter")).toEqual(["kernel/net/bridge/br_netfilter.ko.xz"]);
  });
});

describe("parseSysctlOutput", () => {
  it("reads a fresh host: the bridge keys do not exist, ip_forward is 0", () => {
    const v = parseSysctlOutput(fixture("debian12-sysctl-fresh.txt"));
    expect(v.get("net.bridge.bridge-nf-call-iptables")).toEqual({
      key: "net.bridge.bridge-nf-call-iptables",
      error: "No such file or directory",
    });
    expect(v.get("net.ipv4.ip_forward")).toEqual({ key: "net.ipv4.ip_forward", value: "0" });
  });
  it("reads a host with br_netfilter loaded (bridge calls default to 1) and one done", () => {
    const loaded = parseSysctlOutput(fixture("debian12-sysctl-modules-loaded.txt"));
    expect(loaded.get("net.bridge.bridge-nf-call-ip6tables")).toEqual({ key: "net.bridge.bridge-nf-call-ip6tables", value: "1" });
    expect(loaded.get("net.ipv4.ip_forward")).toEqual({ key: "net.ipv4.ip_forward", value: "0" });
    const done = parseSysctlOutput(fixture("debian12-sysctl-done.txt"));
    expect([...done.values()].map((x) => ("value" in x ? x.value : x.error))).toEqual(["1", "1", "1"]);
  });
});

describe("parseSysctlConf", () => {
  it("reads sysctl.d syntax: spacing, comments, '-' prefix, slashes, last one wins", () => {
    const conf = parseSysctlConf(
      "# comment\n; other comment\nnet.ipv4.ip_forward=0\n-net.bridge.bridge-nf-call-iptables  = 1\nnet/ipv4/ip_forward = 1\n\n",
    );
    expect(conf.get("net.ipv4.ip_forward")).toBe("1");
    expect(conf.get("net.bridge.bridge-nf-call-iptables")).toBe("1");
    expect(conf.size).toBe(2);
  });
});
