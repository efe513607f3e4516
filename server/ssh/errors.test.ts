import { describe, expect, it } from "vitest";
import { hostKeyAlgorithms } from "./connection";
import { errors, fromSocketError, hostPort, keyParseReason, programNotFound, sudoFailure } from "./errors";

const w = { address: "10.0.0.5", port: 2222, username: "ops" };
const errno = (code: string) => Object.assign(new Error(code), { code });

describe("error mapping", () => {
  it.each([
    ["ENOTFOUND", "dns"],
    ["EAI_AGAIN", "dns"],
    ["ECONNREFUSED", "refused"],
    ["ETIMEDOUT", "timeout"],
    ["EHOSTUNREACH", "unreachable"],
    ["ENETUNREACH", "unreachable"],
    ["ECONNRESET", "connection-lost"],
    ["EWHATEVER", "protocol"],
  ])("%s -> %s, naming host, port and user", (code, kind) => {
    const e = fromSocketError(w, errno(code));
    expect(e.kind).toBe(kind);
    expect(e.message).toContain("10.0.0.5");
    expect(e.message).toContain("ops");
    expect(e.details).toMatchObject({ host: "10.0.0.5", port: 2222, username: "ops" });
    if (kind !== "dns") expect(e.message).toContain("10.0.0.5:2222");
  });

  it("brackets IPv6 literals", () => {
    expect(hostPort({ address: "fe80::1", port: 22 })).toBe("[fe80::1]:22");
    expect(errors.refused({ ...w, address: "2001:db8::7" }).message).toContain("[2001:db8::7]:2222");
  });

  it("says which method the server refused and what it accepts", () => {
    const e = errors.authRejected(w, "password", ["publickey"]);
    expect(e.kind).toBe("auth-rejected");
    expect(e.message).toBe("10.0.0.5:2222 refused the password for user ops (the server accepts: publickey)");
    expect(errors.authRejected(w, "publickey", undefined).message).toBe("10.0.0.5:2222 refused the key for user ops");
  });

  it("reads ssh2's key parse errors", () => {
    expect(keyParseReason("Encrypted private OpenSSH key detected, but no passphrase given")).toBe("passphrase-missing");
    expect(keyParseReason("OpenSSH key integrity check failed -- bad passphrase?")).toBe("passphrase-wrong");
    expect(keyParseReason("Malformed OpenSSH private key. Bad passphrase?")).toBe("passphrase-wrong");
    expect(keyParseReason("Unsupported key format")).toBe("malformed");
  });

  it("finds the missing program in dash, bash and busybox messages", () => {
    expect(programNotFound("sh: 1: containerd: not found\n")).toBe("containerd");
    expect(programNotFound("bash: line 1: kubelet: command not found\n")).toBe("kubelet");
    expect(programNotFound("bash: runc: command not found")).toBe("runc");
    expect(programNotFound("sh: nerdctl: not found")).toBe("nerdctl");
    expect(programNotFound("cat: /etc/x: No such file or directory")).toBeNull();
  });

  it("tells sudo's refusals apart (recorded sudo 1.9.13 messages)", () => {
    expect(sudoFailure(w, "sudo: a password is required\n", false)?.kind).toBe("sudo-password-required");
    expect(sudoFailure(w, "Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n", true)?.kind).toBe(
      "sudo-password-wrong",
    );
    const denied = sudoFailure(w, "ops is not in the sudoers file.  This incident will be reported.\n", true);
    expect(denied?.kind).toBe("sudo-denied");
    expect(denied?.message).toContain("not in the sudoers file");
    expect(sudoFailure(w, "", true)).toBeNull();
    expect(sudoFailure(w, "some unrelated warning\n", false)).toBeNull();
  });

  it("explains a changed host key with both fingerprints", () => {
    const a = { type: "ssh-ed25519", keyBase64: "A", fingerprint: "SHA256:old", keygen: "256 SHA256:old no comment (ED25519)" };
    const b = { type: "ssh-ed25519", keyBase64: "B", fingerprint: "SHA256:new", keygen: "256 SHA256:new no comment (ED25519)" };
    const e = errors.hostKeyChanged(w, a, b);
    expect(e.kind).toBe("host-key-changed");
    expect(e.message).toMatch(/SHA256:old.*SHA256:new/);
    expect(e.message).toContain("man-in-the-middle");
    expect(e.details.expected?.fingerprint).toBe("SHA256:old");
    expect(e.details.offered?.fingerprint).toBe("SHA256:new");
  });

  it("asks the server for the pinned key type first", () => {
    expect(hostKeyAlgorithms(undefined)[0]).toBe("ssh-ed25519");
    expect(hostKeyAlgorithms("ssh-rsa").slice(0, 3)).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
    expect(hostKeyAlgorithms("ecdsa-sha2-nistp256")[0]).toBe("ecdsa-sha2-nistp256");
    expect(new Set(hostKeyAlgorithms("ssh-rsa")).size).toBe(hostKeyAlgorithms(undefined).length);
  });
});
