// The Debian mirror the lab builds from: this machine's own apt configuration (nothing else is
// reachable here, and the project must not hard-code a mirror), or NODEPREP_DEBIAN_MIRROR.
import fs from "node:fs";
import path from "node:path";

/** The first non-security URI in deb822 .sources files, else in one-line sources.list entries. */
export function mirrorFromAptConfig(files: { name: string; text: string }[]): string | null {
  const uris = (re: RegExp, names: (n: string) => boolean) =>
    files
      .filter((f) => names(f.name))
      .flatMap((f) => f.text.split("\n").flatMap((l) => (re.exec(l.trim())?.[1] ?? "").split(/\s+/).filter(Boolean)))
      .filter((u) => !u.includes("-security") && /^https?:\/\//.test(u))
      // Third-party repositories (a vendor's apt source) come after anything that looks like Debian.
      .sort((a, b) => Number(!/\/debian\/?$/.test(a)) - Number(!/\/debian\/?$/.test(b)));
  return uris(/^URIs:\s*(.+)$/, (n) => n.endsWith(".sources"))[0] ?? uris(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/, (n) => n.endsWith(".list"))[0] ?? null;
}

export function debianMirror(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NODEPREP_DEBIAN_MIRROR) return env.NODEPREP_DEBIAN_MIRROR;
  const dir = "/etc/apt/sources.list.d";
  const files = [
    ...(fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => path.join(dir, f)) : []),
    "/etc/apt/sources.list",
  ]
    .filter((f) => fs.existsSync(f))
    .map((f) => ({ name: f, text: fs.readFileSync(f, "utf8") }));
  const found = mirrorFromAptConfig(files);
  if (!found) throw new Error("no Debian mirror found in /etc/apt (sources.list.d/*.sources or sources.list): set NODEPREP_DEBIAN_MIRROR");
  return found;
}
