import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { utils } from "ssh2";
import { describe, expect, it } from "vitest";
import { describePinned, keygenLine, parsePublicKeyLine, sha256Fingerprint } from "./fingerprint";

// Recorded from the practice-node image (host-keys/*.pub) and `ssh-keygen -lf` on each (OpenSSH 9.2).
const RECORDED = [
  {
    line: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZpsbg6W7kM8mwBoeqJnvA4XqZNS7XA7mjjPaQveQmK root@vm",
    keygen: "256 SHA256:RNoLc/egiMxZ3r4qksOdqUwg0K8nDMdLBxP9/OSFBS4 no comment (ED25519)",
  },
  {
    line: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPXO8peu5zswuJ6+yb4IeMQb5WqvcL8ihYjLQZecOrlIHMcQp92SEh/3hTGNeSTi67uRznlRCD/cPjWGmSY4tuQ= root@vm",
    keygen: "256 SHA256:IYcrgRyweCXDdDHglAmFBFOC+V7hsoo1Ntex85D9Aew no comment (ECDSA)",
  },
  {
    line: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDVjMl+nsKYWrGVAZGmnfjqvZ9WlWZUv5dkByPCMqMnVCFufhFKL31gh6a4DrODVnVJ3GsIQC2O4ZRoH4Q37FBjEk6HEkzlEB8cZwXViqBBUOP5LXzPciMRaIUS/L0eacS1JCcSHUIam7+K/sz10ZGG9lvbE585l2MAaIKAR+R9irnuS+BhaBTYcMyBkRu1doOIjRKRxF3d3+ITY57x35CAUh7+dlUXV8rZVf7YQqYDV3I52NKEir/OVjxK4DiIFe2YeTygBJ8zaRFv6h7D1gqWPmaAJx0Wiw2CfGkItp1Hn/4mu1MbKnbMv2h0CvSvrbraYlW2dosldcwFFg8DimH8Peb1bosQHDfAwBz9Sifvl8s93iV1D8VYDd7Ymn8BUgm1SqCvVAoEvrpDkuySLHZu2r1RZbnOsuhUVjGzelmuiB1dAwSxaa0Dy/YcZNVO0rl0T8hBr8f3J9oZiw3kCrKbEeLxHAocb1C379sB1zyobFiqEpj5hftnujPMtVNZ73c= root@vm",
    keygen: "3072 SHA256:DpRuQitf/8045pgbZUOd/M9aBfZHz6DKgpVOaPX7Voo no comment (RSA)",
  },
];

describe("host key fingerprints", () => {
  it.each(RECORDED)("prints what ssh-keygen -lf printed for $keygen", ({ line, keygen }) => {
    const key = parsePublicKeyLine(line);
    expect(key.comment).toBe("root@vm");
    expect(describePinned(key).keygen).toBe(keygen);
    expect(describePinned(key).fingerprint).toBe(keygen.split(" ")[1]);
  });

  it("matches the local ssh-keygen for freshly generated keys of every kind", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "np-fp-"));
    try {
      const keys = [
        utils.generateKeyPairSync("ed25519").public,
        utils.generateKeyPairSync("ecdsa", { bits: 384 }).public,
        utils.generateKeyPairSync("ecdsa", { bits: 521 }).public,
        utils.generateKeyPairSync("rsa", { bits: 2048 }).public,
      ];
      for (const pub of keys) {
        const [type, b64] = pub.trim().split(/\s+/);
        const file = path.join(dir, "k.pub");
        fs.writeFileSync(file, `${type} ${b64}\n`);
        const expected = execFileSync("ssh-keygen", ["-lf", file], { encoding: "utf8" }).trim();
        expect(keygenLine(Buffer.from(b64, "base64"))).toBe(expected);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("counts RSA bits from the modulus, not the blob (odd sizes too)", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1031 });
    const jwk = publicKey.export({ format: "jwk" });
    const n = Buffer.from(jwk.n!, "base64url");
    const e = Buffer.from(jwk.e!, "base64url");
    const str = (b: Buffer) => Buffer.concat([Buffer.alloc(4, 0).fill(0), b]).fill(0, 0, 4);
    const withLen = (b: Buffer) => {
      const out = str(b);
      out.writeUInt32BE(b.length, 0);
      return out;
    };
    const mp = (b: Buffer) => (b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
    const blob = Buffer.concat([withLen(Buffer.from("ssh-rsa")), withLen(mp(e)), withLen(mp(n))]);
    expect(keygenLine(blob)).toBe(`1031 ${sha256Fingerprint(blob)} no comment (RSA)`);
  });

  it("rejects a line whose type does not match its key, and junk", () => {
    const [, b64] = RECORDED[0].line.split(" ");
    expect(() => parsePublicKeyLine(`ssh-rsa ${b64}`)).toThrow(/says ssh-ed25519/);
    expect(() => parsePublicKeyLine("ssh-ed25519")).toThrow();
    expect(() => parsePublicKeyLine("ssh-ed25519 AAAA")).toThrow();
  });
});
