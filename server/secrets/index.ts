import "server-only";
import { decryptSecret, encryptSecret } from "./crypto";
import { secretKey } from "./key";

export { SecretError } from "./crypto";

/** Encrypt a secret for storage; `context` names where it is stored (e.g. "node:<id>:auth"). */
export const sealSecret = (plaintext: string, context: string) => encryptSecret(secretKey(), plaintext, context);
export const openSecret = (envelope: string, context: string) => decryptSecret(secretKey(), envelope, context);
