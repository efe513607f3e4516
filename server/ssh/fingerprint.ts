import "server-only";
import { createHash } from "node:crypto";
import type { OfferedHostKey, PinnedHostKey } from "./types";

// Host-key fingerprints in exactly the text `ssh-keygen -lf` prints, e.g.
//   256 SHA256:RNoLc/egiMxZ3r4qksOdqUwg0K8nDMdLBxP9/OSFBS4 no comment (ED25519)
// so an operator can compare them with what the host's console shows (`ssh-keygen -lf
// /etc/ssh/ssh_host_ed25519_key.pub`). OpenSSH: sshkey.c sshkey_fingerprint(), ssh-keygen.c fingerprint_one_key().

/** "SHA256:" + unpadded base64 of the SHA-256 of the key blob, as OpenSSH prints it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "");
}

function readString(buf: Buffer, offset: number): [Buffer, number] {
  if (offset + 4 > buf.length) throw new Error("truncated SSH key blob");
  const len = buf.readUInt32BE(offset);
  const start = offset + 4;
  if (start + len > buf.length) throw new Error("truncated SSH key blob");
  return [buf.subarray(start, start + len), start + len];
}

/** Bits of an mpint (two's complement, big endian, may carry a leading zero byte). */
function mpintBits(m: Buffer): number {
  let i = 0;
  while (i < m.length && m[i] === 0) i++;
  if (i === m.length) return 0;
  return (m.length - i - 1) * 8 + (32 - Math.clz32(m[i]));
}

export interface KeyInfo {
  /** The algorithm name inside the blob, e.g. ssh-ed25519. */
  type: string;
  bits: number;
  /** The label ssh-keygen prints in parentheses: ED25519, ECDSA, RSA, DSA, ED25519-SK, ECDSA-SK. */
  label: string;
}

export function keyInfo(keyBlob: Buffer): KeyInfo {
  const [typeBuf, afterType] = readString(keyBlob, 0);
  const type = typeBuf.toString("latin1");
  switch (type) {
    case "ssh-ed25519":
      return { type, bits: 256, label: "ED25519" };
    case "sk-ssh-ed25519@openssh.com":
      return { type, bits: 256, label: "ED25519-SK" };
    case "ecdsa-sha2-nistp256":
    case "ecdsa-sha2-nistp384":
    case "ecdsa-sha2-nistp521":
      return { type, bits: Number(type.slice("ecdsa-sha2-nistp".length)), label: "ECDSA" };
    case "sk-ecdsa-sha2-nistp256@openssh.com":
      return { type, bits: 256, label: "ECDSA-SK" };
    case "ssh-rsa": {
      const [, afterE] = readString(keyBlob, afterType); // e
      const [n] = readString(keyBlob, afterE);
      return { type, bits: mpintBits(n), label: "RSA" };
    }
    case "ssh-dss": {
      const [p] = readString(keyBlob, afterType);
      return { type, bits: mpintBits(p), label: "DSA" };
    }
    default:
      throw new Error(`unsupported host key type ${type}`);
  }
}

/** The line `ssh-keygen -lf` prints for a key without a comment (host keys offered on the wire have none). */
export function keygenLine(keyBlob: Buffer, comment = "no comment"): string {
  const info = keyInfo(keyBlob);
  return `${info.bits} ${sha256Fingerprint(keyBlob)} ${comment} (${info.label})`;
}

/** Parse one known_hosts / .pub style line ("type base64 [comment]"). */
export function parsePublicKeyLine(line: string): PinnedHostKey & { comment: string | null } {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2) throw new Error("expected `<type> <base64> [comment]`");
  const [type, keyBase64, ...rest] = parts;
  const blob = Buffer.from(keyBase64, "base64");
  if (blob.toString("base64") !== keyBase64.replace(/\s/g, "")) throw new Error("the key is not valid base64");
  const info = keyInfo(blob);
  if (info.type !== type) throw new Error(`the key says ${info.type} but the line says ${type}`);
  return { type, keyBase64, comment: rest.length ? rest.join(" ") : null };
}

export function describeKey(blob: Buffer): OfferedHostKey {
  const info = keyInfo(blob);
  return { type: info.type, keyBase64: blob.toString("base64"), fingerprint: sha256Fingerprint(blob), keygen: keygenLine(blob) };
}

export function describePinned(key: PinnedHostKey): OfferedHostKey {
  return describeKey(Buffer.from(key.keyBase64, "base64"));
}
