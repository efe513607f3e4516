import "server-only";
import { createHmac } from "node:crypto";
import { parsePublicKeyLine, type PinnedHostKey } from "../ssh";

// OpenSSH's known_hosts (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): `hosts keytype base64 [comment]`,
// hosts as `name`, `[name]:port` (any port but 22), comma-separated, or hashed as `|1|salt|hmac`
// (HashKnownHosts, Debian's default): HMAC-SHA1 keyed with the salt over the name as written.
// Markers (@cert-authority, @revoked) and patterns with wildcards are not host keys to pin: skipped.

interface Entry {
  names: string[];
  hashed: { salt: Buffer; hash: string }[];
  key: PinnedHostKey;
}

export interface KnownHosts {
  entries: Entry[];
  /** Lines that were not a plain host key (markers, wildcards, unreadable keys), for the preview. */
  skipped: number;
}

export function parseKnownHosts(text: string): KnownHosts {
  const entries: Entry[] = [];
  let skipped = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("@")) {
      skipped++;
      continue;
    }
    const space = line.search(/\s/);
    if (space < 0) {
      skipped++;
      continue;
    }
    const hosts = line.slice(0, space);
    let key: PinnedHostKey;
    try {
      const parsed = parsePublicKeyLine(line.slice(space + 1));
      key = { type: parsed.type, keyBase64: parsed.keyBase64 };
    } catch {
      skipped++;
      continue;
    }
    if (hosts.startsWith("|1|")) {
      const [, , salt, hash] = hosts.split("|");
      if (!salt || !hash) {
        skipped++;
        continue;
      }
      entries.push({ names: [], hashed: [{ salt: Buffer.from(salt, "base64"), hash }], key });
      continue;
    }
    const names = hosts.split(",").filter((n) => n && !/[*?!]/.test(n));
    if (names.length === 0) {
      skipped++;
      continue;
    }
    entries.push({ names, hashed: [], key });
  }
  return { entries, skipped };
}

/** How ssh writes a host in known_hosts: `address` on port 22, `[address]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

// The type the SSH layer asks for first when several are known (server/ssh/connection.ts asks for the
// pinned type first): ed25519, then ECDSA, then RSA.
const PREFERENCE = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"];
const rank = (type: string) => {
  const i = PREFERENCE.indexOf(type);
  return i < 0 ? PREFERENCE.length : i;
};

/** The key to pin for a host, or null when known_hosts does not know it. */
export function lookupHostKey(known: KnownHosts, address: string, port: number): PinnedHostKey | null {
  const name = knownHostsName(address, port);
  const matches = known.entries.filter(
    (e) => e.names.includes(name) || e.hashed.some((h) => createHmac("sha1", h.salt).update(name).digest("base64") === h.hash),
  );
  if (matches.length === 0) return null;
  return [...matches].sort((a, b) => rank(a.key.type) - rank(b.key.type))[0].key;
}
