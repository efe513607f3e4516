// SHA256SUMS in the format `sha256sum` writes and `sha256sum -c` reads: "<64 hex>  <name>\n",
// sorted by name so the file is reproducible.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename } from "node:path";

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function formatSha256Sums(entries: { name: string; sha256: string }[]): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, sha256 }) => {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 digest for ${name}: ${sha256}`);
      if (name !== basename(name) || /[\s]/.test(name)) throw new Error(`SHA256SUMS names must be plain file names: ${JSON.stringify(name)}`);
      return `${sha256}  ${name}\n`;
    })
    .join("");
}

export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const m = /^([0-9a-f]{64}) [ *](\S+)$/.exec(line);
    if (!m) throw new Error(`malformed SHA256SUMS line: ${JSON.stringify(line)}`);
    sums.set(m[2], m[1]);
  }
  return sums;
}

export async function writeSha256Sums(paths: string[]): Promise<string> {
  const entries = await Promise.all(paths.map(async (p) => ({ name: basename(p), sha256: await sha256File(p) })));
  return formatSha256Sums(entries);
}
