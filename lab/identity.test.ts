import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { identityScript, makeIdentity } from "./identity";

describe("makeIdentity", () => {
  it("makes three host key pairs and a machine-id, different every time", async () => {
    const [a, b] = await Promise.all([makeIdentity("practice-1"), makeIdentity("practice-1")]);
    expect(a.hostKeys.map((k) => k.name)).toEqual(["ssh_host_ed25519_key", "ssh_host_ecdsa_key", "ssh_host_rsa_key"]);
    expect(a.machineId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.machineId).not.toBe(b.machineId);
    expect(a.hostKeys[0].publicKey).toMatch(/^ssh-ed25519 \S+ root@practice-1$/);
    expect(a.hostKeys[0].publicKey).not.toBe(b.hostKeys[0].publicKey);
  });

  it("refuses a hostname that could break the script", async () => {
    await expect(makeIdentity("x; rm -rf /")).rejects.toThrow("not a hostname");
  });
});

describe("identityScript", () => {
  it("writes keys that ssh-keygen accepts and derives the same public key from (run against a scratch root)", async () => {
    const id = await makeIdentity("practice-7");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "identity-test-"));
    try {
      fs.mkdirSync(path.join(root, "etc/ssh"), { recursive: true });
      fs.writeFileSync(path.join(root, "etc/hosts"), "127.0.0.1 localhost\n127.0.1.1 practice\n");
      fs.writeFileSync(path.join(root, "etc/ssh/ssh_host_dsa_key"), "old");
      // Point the script at the scratch root and leave out what needs the real machine.
      const script = identityScript(id, 1_800_000_000)
        .split("\n")
        .filter((l) => !/^(date|hostname|systemctl) /.test(l))
        .join("\n")
        .replaceAll("/etc/", `${root}/etc/`);
      execFileSync("sh", ["-c", script]);
      expect(fs.readFileSync(path.join(root, "etc/hostname"), "utf8")).toBe("practice-7\n");
      expect(fs.readFileSync(path.join(root, "etc/hosts"), "utf8")).toContain("127.0.1.1 practice-7\n");
      expect(fs.readFileSync(path.join(root, "etc/machine-id"), "utf8")).toBe(`${id.machineId}\n`);
      expect(fs.existsSync(path.join(root, "etc/ssh/ssh_host_dsa_key"))).toBe(false);
      const key = path.join(root, "etc/ssh/ssh_host_ed25519_key");
      expect((fs.statSync(key).mode & 0o777).toString(8)).toBe("600");
      expect(execFileSync("ssh-keygen", ["-y", "-f", key], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ")).toBe(id.hostKeys[0].publicKey.split(" ").slice(0, 2).join(" "));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
