import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, keyId, SecretError } from "./crypto";
import { loadKeyFile, parseKeyEnv } from "./key";

const key = randomBytes(32);
const ctx = "node:abc:auth";

function flip(envelope: string, at: number): string {
  const [v, kid, b64] = envelope.split(".");
  const raw = Buffer.from(b64, "base64url");
  raw[at] ^= 0x01;
  return `${v}.${kid}.${raw.toString("base64url")}`;
}

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof SecretError ? e.reason : `other: ${(e as Error).message}`;
  }
  return "no error";
};

describe("secret encryption", () => {
  it("round-trips, with a fresh IV each time", () => {
    const secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nü ✓ 'quotes' $(x)\n";
    const a = encryptSecret(key, secret, ctx);
    const b = encryptSecret(key, secret, ctx);
    expect(a).not.toBe(b);
    expect(a).not.toContain("OPENSSH");
    expect(a.startsWith(`v1.${keyId(key)}.`)).toBe(true);
    expect(decryptSecret(key, a, ctx)).toBe(secret);
    expect(decryptSecret(key, encryptSecret(key, "", ctx), ctx)).toBe("");
  });

  it("detects tampering with the IV, the tag or the ciphertext", () => {
    const env = encryptSecret(key, "hunter2-password", ctx);
    expect(reasonOf(() => decryptSecret(key, flip(env, 0), ctx))).toBe("tampered"); // IV
    expect(reasonOf(() => decryptSecret(key, flip(env, 12), ctx))).toBe("tampered"); // tag
    expect(reasonOf(() => decryptSecret(key, flip(env, 30), ctx))).toBe("tampered"); // ciphertext
  });

  it("refuses a ciphertext moved to another record or field", () => {
    const env = encryptSecret(key, "hunter2-password", ctx);
    expect(reasonOf(() => decryptSecret(key, env, "node:other:auth"))).toBe("tampered");
    expect(reasonOf(() => decryptSecret(key, env, "node:abc:sudo"))).toBe("tampered");
  });

  it("says so when the key changed, and rejects junk", () => {
    const env = encryptSecret(key, "x", ctx);
    expect(reasonOf(() => decryptSecret(randomBytes(32), env, ctx))).toBe("wrong-key");
    expect(reasonOf(() => decryptSecret(key, "plaintext", ctx))).toBe("malformed");
    expect(reasonOf(() => decryptSecret(key, `v1.${keyId(key)}.AAAA`, ctx))).toBe("malformed");
    expect(() => encryptSecret(randomBytes(16), "x", ctx)).toThrow(/32 bytes/);
  });
});

describe("the secret key", () => {
  it("accepts only base64 of 32 bytes from the environment", () => {
    const k = randomBytes(32);
    expect(parseKeyEnv(k.toString("base64")).equals(k)).toBe(true);
    expect(() => parseKeyEnv(randomBytes(16).toString("base64"))).toThrow(/32 random bytes/);
    expect(() => parseKeyEnv("not base64 at all!")).toThrow();
  });

  it("creates a 0600 key file once and reuses it, refusing one others can read", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-key-"));
    try {
      const first = loadKeyFile(dir);
      const file = path.join(dir, "secret.key");
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(loadKeyFile(dir).equals(first)).toBe(true);
      fs.chmodSync(file, 0o644);
      expect(() => loadKeyFile(dir)).toThrow(/chmod 600/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
