import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { config } from "../config";

export const KEY_FILE_NAME = "secret.key";

/** Parse NODEPREP_SECRET_KEY: base64 of exactly 32 bytes. */
export function parseKeyEnv(value: string): Buffer {
  const key = Buffer.from(value.trim(), "base64");
  if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== value.trim().replace(/=+$/, "")) {
    throw new Error("NODEPREP_SECRET_KEY must be the base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`)");
  }
  return key;
}

/**
 * The key from NODEPREP_SECRET_KEY, else from <dataDir>/secret.key, created on first start with mode
 * 0600 (exclusive create, so two processes starting together agree on one key). Like OpenSSH with
 * private keys, a key file others can read is refused.
 */
export function loadKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE_NAME);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stat = fs.statSync(file);
  if ((stat.mode & 0o077) !== 0) {
    throw new Error(`${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}): run \`chmod 600 ${file}\``);
  }
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a base64 32-byte key`);
  return key;
}

const g = globalThis as unknown as { nodeprepSecretKey?: Buffer };

export function secretKey(): Buffer {
  if (!g.nodeprepSecretKey) {
    const { NODEPREP_SECRET_KEY, NODEPREP_DATA_DIR } = config();
    g.nodeprepSecretKey = NODEPREP_SECRET_KEY ? parseKeyEnv(NODEPREP_SECRET_KEY) : loadKeyFile(NODEPREP_DATA_DIR);
  }
  return g.nodeprepSecretKey;
}
