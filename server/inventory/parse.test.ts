import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expandHostPattern } from "./host-pattern";
import { shlexSplit } from "./ini";
import { literalEval } from "./literal";
import { InventoryError, resolve, Vaulted } from "./model";
import { detectFormat, parseInventory } from "./parse";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const hostsOf = (text: string, name = "inventory.ini") => resolve(parseInventory(name, text).raw).hosts;

describe("INI inventories as ansible-core reads them", () => {
  it("ranges, ports, quoting, comments and variable precedence (the answers are ansible-inventory 2.14's)", () => {
    const hosts = new Map(hostsOf(fixture("precedence.ini")).map((h) => [h.name, h]));
    expect([...hosts.keys()]).toEqual(["lone", "web01.example.com", "web02.example.com", "web03.example.com", "db1"]);
    // Two groups at the same depth: the later name wins (web over db); the host's own line beats both.
    expect(hosts.get("db1")!.vars).toEqual({ ansible_host: "10.0.0.5", ansible_port: 2200, ansible_user: "produser", level: "web", x: 1, y: true, z: null, w: "0755", f: 1.5 });
    // A host first named without a port keeps no port when a later line adds one (Ansible's add_host).
    expect(hosts.get("web01.example.com")!.vars).toEqual({ ansible_user: "deploy", note: "a # b", role: "front", level: "web" });
    expect(hosts.get("web03.example.com")!.groups).toEqual([]);
    expect(hosts.get("db1")!.groups).toEqual(["web", "db"]);
    const groups = resolve(parseInventory("x.ini", fixture("precedence.ini")).raw).groups;
    expect(groups.find((g) => g.name === "prod")!.children).toEqual(["web", "db", "stage"]);
  });

  it("shlex splitting: quotes, escapes, '#' ends the line", () => {
    expect(shlexSplit(`h a="b c" d='e "f"' g=h\\ i # j=k`)).toEqual(["h", "a=b c", `d=e "f"`, "g=h i"]);
    expect(shlexSplit("h x=a#b")).toEqual(["h", "x=a"]);
    expect(() => shlexSplit(`h a="b`)).toThrow(/no closing quotation/);
  });

  it("values like Python's literal_eval", () => {
    expect([literalEval("22"), literalEval("0755"), literalEval("00"), literalEval("True"), literalEval("'x y'"), literalEval("10.0.0.1"), literalEval("-3")]).toEqual([
      22,
      "0755",
      0,
      true,
      "x y",
      "10.0.0.1",
      -3,
    ]);
  });

  it("host patterns: ranges with padding, letters and steps; ports; IPv6", () => {
    expect(expandHostPattern("web[01:03]").hosts).toEqual(["web01", "web02", "web03"]);
    expect(expandHostPattern("db-[a:c]:2222")).toEqual({ hosts: ["db-a", "db-b", "db-c"], port: 2222 });
    expect(expandHostPattern("n[0:10:5]").hosts).toEqual(["n0", "n5", "n10"]);
    expect(expandHostPattern("[2001:db8::1]:2200")).toEqual({ hosts: ["2001:db8::1"], port: 2200 });
    expect(expandHostPattern("2001:db8::1")).toEqual({ hosts: ["2001:db8::1"], port: null });
    expect(() => expandHostPattern("web[01:3]")).toThrow(/same length/);
    expect(() => expandHostPattern("n[1:999999]")).toThrow(/more than/);
  });

  it("errors name the line and the problem", () => {
    expect(() => hostsOf("[web]\nh1\n[web:oops]\n")).toThrow("line 3: section [web:oops] has an unknown type: oops");
    expect(() => hostsOf("[prod:children]\nweb\n")).toThrow(/never declared: web/);
    expect(() => hostsOf("[nope:vars]\nx=1\n")).toThrow(/never declared: nope/);
    expect(() => hostsOf("[web]\nh1 novalue\n")).toThrow("line 2: expected key=value after the host name, got: novalue");
    expect(() => hostsOf("[a:children]\nb\n[b:children]\na\n[a]\n[b]\n")).toThrow(/loop/);
  });
});

describe("YAML inventories", () => {
  it("nested children, group vars (YAML 1.1 booleans), ranges, ports, IPv6 and vaulted values", () => {
    const inv = resolve(parseInventory("fleet.yml", fixture("fleet.yml")).raw);
    const hosts = new Map(inv.hosts.map((h) => [h.name, h]));
    expect([...hosts.keys()]).toEqual(["bastion", "web-1", "web-2", "web-3", "db-1", "2001:db8::7"]);
    expect(hosts.get("web-2")!.vars).toMatchObject({ ansible_port: 2222, ansible_user: "ops", env: "prod", enabled: true, ansible_ssh_common_args: "-o ProxyJump=ops@192.0.2.10:22" });
    expect(hosts.get("db-1")!.vars.app_token).toBeInstanceOf(Vaulted);
    expect(hosts.get("2001:db8::7")!.vars.ansible_port).toBe(2200);
    expect(inv.groups.map((g) => [g.name, g.children])).toEqual([
      ["prod", ["web", "db"]],
      ["web", []],
      ["db", []],
    ]);
  });

  it("refuses what it cannot read whole", () => {
    expect(() => parseInventory("x.yml", "all:\n  hosts: [a, b]\n")).toThrow(/all\.hosts: must be a mapping/);
    expect(() => parseInventory("x.yml", "plugin: aws_ec2\n")).toThrow(/plugin's configuration/);
    expect(() => parseInventory("x.yml", "all:\n  hostz: {}\n")).toThrow(/unexpected key/);
    expect(() => parseInventory("x.yml", "all: [\n")).toThrow(InventoryError);
    expect(() => parseInventory("x.ini", "$ANSIBLE_VAULT;1.1;AES256\n6162\n")).toThrow(/whole file is encrypted/);
  });

  it("detects the format from the name, else the content", () => {
    expect(detectFormat("hosts", "all:\n  hosts: {}\n")).toBe("yaml");
    expect(detectFormat("hosts", "[web]\nh1\n")).toBe("ini");
    expect(detectFormat("hosts", "# x\nh1 ansible_host=1.2.3.4\n")).toBe("ini");
    expect(detectFormat("inv.yaml", "")).toBe("yaml");
  });
});
