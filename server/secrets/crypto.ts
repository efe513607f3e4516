import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Secrets at rest: AES-256-GCM, a fresh 96-bit IV per value, and the value's place (e.g.
// "node:<id>:auth") as additional authenticated data, so a ciphertext copied into another row or
// field fails to decrypt instead of silently authenticating as someone else.
// Envelope: "v1.<key id>.<base64url(iv | tag | ciphertext)>"; the key id (8 hex of SHA-256 of the
// key) lets us say "encrypted under a different key" rather than "tampered".

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretError extends Error {
  constructor(
    readonly reason: "wrong-key" | "tampered" | "malformed",
    message: string,
  ) {
    super(message);
    this.name = "SecretError";
  }
}

export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

function checkKey(key: Buffer) {
  if (key.length !== 32) throw new Error(`the secret key must be 32 bytes, got ${key.length}`);
}

export function encryptSecret(key: Buffer, plaintext: string, context: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}.${keyId(key)}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
}

export function decryptSecret(key: Buffer, envelope: string, context: string): string {
  checkKey(key);
  const parts = envelope.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) throw new SecretError("malformed", "stored secret is not a v1 envelope");
  if (parts[1] !== keyId(key)) {
    throw new SecretError("wrong-key", `stored secret was encrypted under key ${parts[1]}, but the current key is ${keyId(key)} (NODEPREP_SECRET_KEY or the key file changed)`);
  }
  const raw = Buffer.from(parts[2], "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretError("malformed", "stored secret is truncated");
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const ct = raw.subarray(IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretError("tampered", `stored secret for ${context} failed authentication (modified, or moved from another record)`);
  }
}
