import "server-only";

export const REDACTED = "[redacted]";

// Private key blocks are redacted even when we do not know them (a host may print its own keys).
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/** Shorter secrets would redact ordinary words; nodeprep refuses to store them (see nodes/schema). */
export const MIN_REDACTABLE_LENGTH = 3;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Redact every known secret (passwords, passphrases, private keys) from text before it is stored,
 * streamed or logged. Multi-line secrets are also redacted line by line, so a key echoed with other
 * line endings or partly still leaves nothing usable.
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    const trimmed = secret.trim();
    if (trimmed.length >= MIN_REDACTABLE_LENGTH) needles.add(trimmed);
    if (secret.length >= MIN_REDACTABLE_LENGTH) needles.add(secret);
    if (secret.includes("\n")) {
      for (const line of secret.split(/\r?\n/)) {
        const l = line.trim();
        if (l.length >= 16 && !/^-----(BEGIN|END) /.test(l)) needles.add(l);
      }
    }
  }
  let out = text.replace(PRIVATE_KEY_BLOCK, REDACTED);
  if (needles.size === 0) return out;
  // Longest first, so a secret containing another is removed whole.
  const pattern = new RegExp([...needles].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g");
  out = out.replace(pattern, REDACTED);
  return out;
}

/** A redactor bound to one target's secrets. */
export function redactor(secrets: readonly (string | null | undefined)[]): (text: string) => string {
  return (text) => redact(text, secrets);
}
