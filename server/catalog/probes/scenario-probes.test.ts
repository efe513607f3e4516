// The probes the training scenarios added, on recorded real output (scenario-fixtures/):
// a practice node (Debian 12, systemd 252, merged /usr so /lib/sysctl.d repeats /usr/lib/sysctl.d) with
// the runtime installed by the wizard, recorded through the real batch (server/catalog observation):
//   sysctl-boot-ok:        /etc/sysctl.d/k8s.conf as the sysctl step writes it
//   sysctl-boot-hardening: plus /etc/sysctl.d/network-hardening.conf setting ip_forward = 0
//   sysctl-boot-zz:        the same file named 99-zz-hardening.conf (sorts BEFORE k8s.conf)
//   sysctl-boot-fresh:     no k8s.conf at all
//   runc-lookup-*:         runc in place (ok), chmod -x (noexec), moved to /opt/runc/bin (moved),
//                          moved with containerd stopped (stopped), in place with containerd stopped.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandOutput } from "../types";
import { parseRuncLookup, runcForContainerdProbe } from "./runc-path";
import { bootOrder, bootValues, sysctlAtBootProbe } from "./sysctl-boot";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "scenario-fixtures", name), "utf8");
// grep exits 2 on these hosts: /run/sysctl.d and /usr/local/lib/sysctl.d do not exist (as recorded).
const boot = (state: string) => ({
  files: { output: fixture(`debian12-sysctl-boot-${state}-files.txt`), exitCode: 0 },
  lines: { output: fixture(`debian12-sysctl-boot-${state}-lines.txt`), exitCode: 2 },
});

describe("sysctl-at-boot", () => {
  it("orders the files as systemd-sysctl does: by name across directories, /etc hiding /usr/lib, /usr/lib hiding /lib", () => {
    expect(bootOrder(fixture("debian12-sysctl-boot-hardening-files.txt").trim().split("\n"))).toEqual([
      "/usr/lib/sysctl.d/50-pid-max.conf",
      "/usr/lib/sysctl.d/99-protect-links.conf",
      "/etc/sysctl.d/99-sysctl.conf",
      "/etc/sysctl.d/k8s.conf",
      "/etc/sysctl.d/network-hardening.conf",
    ]);
    expect(bootOrder(["/usr/lib/sysctl.d/k8s.conf", "/etc/sysctl.d/k8s.conf", "/run/sysctl.d/k8s.conf", "/etc/sysctl.d/notes.txt"])).toEqual(["/etc/sysctl.d/k8s.conf"]);
  });

  it("passes when k8s.conf is the last word on all three", () => {
    const v = sysctlAtBootProbe.parse(boot("ok"));
    expect(v.status).toBe("ok");
    expect(v.checks.map((c) => [c.name, c.status, c.observed])).toEqual([
      ["net.bridge.bridge-nf-call-iptables", "ok", "1 (/etc/sysctl.d/k8s.conf)"],
      ["net.bridge.bridge-nf-call-ip6tables", "ok", "1 (/etc/sysctl.d/k8s.conf)"],
      ["net.ipv4.ip_forward", "ok", "1 (/etc/sysctl.d/k8s.conf)"],
    ]);
  });

  it("fails when a file that sorts after k8s.conf sets ip_forward = 0, naming it", () => {
    const v = sysctlAtBootProbe.parse(boot("hardening"));
    expect(v.status).toBe("fail");
    expect(v.checks.find((c) => c.name === "net.ipv4.ip_forward")).toMatchObject({ status: "fail", observed: "0 (/etc/sysctl.d/network-hardening.conf)" });
    expect(v.detail).toContain("/etc/sysctl.d/network-hardening.conf sets net.ipv4.ip_forward = 0 and is applied after /etc/sysctl.d/k8s.conf");
    const ipForward = bootValues(boot("hardening").files.output, boot("hardening").lines.output).find((b) => b.key === "net.ipv4.ip_forward")!;
    expect(ipForward.setBy).toEqual([
      { file: "/etc/sysctl.d/k8s.conf", value: "1" },
      { file: "/etc/sysctl.d/network-hardening.conf", value: "0" },
    ]);
  });

  it("passes when the same file is named 99-zz-hardening.conf: digits sort before letters, k8s.conf still wins", () => {
    expect(sysctlAtBootProbe.parse(boot("zz")).status).toBe("ok");
  });

  it("fails on a fresh host: ip_forward is the kernel's 0, the bridge keys the module's 1", () => {
    const v = sysctlAtBootProbe.parse(boot("fresh"));
    expect(v.status).toBe("fail");
    expect(v.checks.map((c) => c.status)).toEqual(["ok", "ok", "fail"]);
    expect(v.checks[2].observed).toBe("0 (no file sets it: the kernel's default)");
  });

  it("reads '-' prefixes and slash-separated keys as sysctl.d(5) allows; unknown without an answer", () => {
    const values = bootValues("/etc/sysctl.d/k8s.conf\n/etc/sysctl.d/zz.conf\n", "/etc/sysctl.d/k8s.conf:net.ipv4.ip_forward=1\n/etc/sysctl.d/zz.conf:-net/ipv4/ip_forward = 0\n");
    expect(values.find((b) => b.key === "net.ipv4.ip_forward")).toMatchObject({ value: "0", file: "/etc/sysctl.d/zz.conf" });
    expect(sysctlAtBootProbe.parse({}).status).toBe("unknown");
  });
});

const lookup = (state: string, exitCode: number): Record<string, CommandOutput> => ({ lookup: { output: fixture(`debian12-runc-lookup-${state}.txt`), exitCode } });

describe("runc-for-containerd", () => {
  it("finds runc on the PATH of the running containerd", () => {
    expect(parseRuncLookup(fixture("debian12-runc-lookup-ok.txt"))).toEqual({
      path: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      containerdRunning: true,
      found: "/usr/local/sbin/runc",
      executable: true,
      version: "1.1.5",
    });
    expect(runcForContainerdProbe.parse(lookup("ok", 0))).toMatchObject({ status: "ok", observed: "runc 1.1.5 at /usr/local/sbin/runc" });
  });

  it("fails when runc is only where a login shell finds it, not on containerd's PATH", () => {
    const v = runcForContainerdProbe.parse(lookup("moved", 1));
    expect(v.status).toBe("fail");
    expect(v.observed).toBe("runc is not in containerd's PATH");
    expect(v.checks.find((c) => c.name === "runc in that PATH")).toMatchObject({ status: "fail", observed: "none" });
    expect(v.detail).toContain('"executable file not found in $PATH"');
  });

  it("fails when runc is there but not executable, naming the file", () => {
    const v = runcForContainerdProbe.parse(lookup("noexec", 1));
    expect(v).toMatchObject({ status: "fail", observed: "/usr/local/sbin/runc is not executable" });
    expect(v.checks.find((c) => c.name === "executable")).toMatchObject({ status: "fail" });
  });

  it("uses systemd's default PATH while containerd is not running", () => {
    expect(parseRuncLookup(fixture("debian12-runc-lookup-stopped.txt"))).toMatchObject({ containerdRunning: false, found: null });
    expect(runcForContainerdProbe.parse(lookup("stopped", 1)).status).toBe("fail");
    const ok = runcForContainerdProbe.parse(lookup("stopped-ok", 0));
    expect(ok.status).toBe("ok");
    expect(ok.checks[0].observed).toContain("systemd's default");
  });

  it("is unknown without an answer or an output it does not know", () => {
    expect(runcForContainerdProbe.parse({}).status).toBe("unknown");
    expect(runcForContainerdProbe.parse({ lookup: { output: "sh: 1: systemctl: not found\n", exitCode: 127 } }).status).toBe("unknown");
  });
});
