import { describe, expect, it } from "vitest";
import { hostAddress, kebabId, nodeName, safeText, unixUser, userName, version } from "./validation";

const ok = (schema: { safeParse: (v: unknown) => { success: boolean } }, values: unknown[]) =>
  values.forEach((v) => expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(true));
const no = (schema: { safeParse: (v: unknown) => { success: boolean } }, values: unknown[]) =>
  values.forEach((v) => expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(false));

const SHELL = ["$(reboot)", "`id`", "a;b", "a|b", "a&b", "a b", "a\nb", "a>b", "a'b", 'a"b', "a\\b", "a*", "~root", "a\u0000b"];

describe("hostAddress", () => {
  it("takes host names, IPv4 and IPv6", () =>
    ok(hostAddress, ["node-1", "node-1.example.org", "example.org.", "10.0.0.5", "127.0.0.1", "::1", "fe80::1", "2001:db8::42", "xn--bcher-kva.example"]));
  it("refuses shell metacharacters, broken addresses and huge names", () =>
    no(hostAddress, [...SHELL, "", "-oProxyCommand=x", "10.0.0.256", "1.2.3", "[::1]", "a..b", "a".repeat(64) + ".org", "a.".repeat(130), 42]));
});

describe("unixUser", () => {
  it("takes ordinary Linux user names", () => ok(unixUser, ["root", "prep", "_apt", "ci-runner", "svc.deploy"]));
  it("refuses metacharacters, upper case, leading '-' and long names", () => no(unixUser, [...SHELL, "", "Root", "-root", "a".repeat(33)]));
});

describe("version", () => {
  it("takes release versions", () => ok(version, ["1.7.22", "v1.1.12", "2.0.0-rc.1", "1.1.1", "1.6.20+dfsg"]));
  it("refuses newlines, metacharacters and long strings", () =>
    no(version, [...SHELL, "1.7.22\n", "1.7.22\nrm -rf /", "latest", "", "1." + "1".repeat(70), "../1.0"]));
});

describe("names and ids", () => {
  it("nodeName", () => {
    ok(nodeName, ["practice-1", "web_01", "db.eu"]);
    no(nodeName, [...SHELL, "", "-x", "a".repeat(64)]);
  });
  it("userName (dashboard users)", () => {
    ok(userName, ["alice", "ops-1", "j.doe"]);
    no(userName, [...SHELL, "", "Alice", "a".repeat(33)]);
  });
  it("kebabId", () => {
    ok(kebabId, ["kernel-modules", "containerd"]);
    no(kebabId, [...SHELL, "Kernel", "a--b", "-a"]);
  });
  it("safeText refuses control characters and bounds length", () => {
    ok(safeText(10), ["a note", "ünïcode"]);
    no(safeText(10), ["a\nb", "a\u001b[31m", "x".repeat(11)]);
  });
});
