import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// design.md convention 11: nothing but the tracked path holds a raw connection. Only server/ssh (which
// makes them) and server/hosts (which wraps them: audit, events, redaction) may turn a target into a
// RemoteHost. Everything else asks server/hosts (openHost, trackHost). The lab, the benchmarks and the
// integration tests of the SSH layer itself are outside the product and may.

const ROOTS = ["app", "components", "lib", "server", "scripts", "instrumentation.ts", "proxy.ts"];
const ALLOWED = [path.join("server", "ssh") + path.sep, path.join("server", "hosts") + path.sep];
const RAW = [
  { what: "getRemoteHost (a raw handle on a target)", re: /\bgetRemoteHost\b/ },
  { what: "connectTarget (a raw connection)", re: /\bconnectTarget\b/ },
  { what: "the pool, a Connection or a ShellSession", re: /from\s+["'][^"']*ssh\/(pool|connection|shell-session)["']|import\(\s*["'][^"']*ssh\/(pool|connection|shell-session)["']/ },
];

function sources(entry: string): string[] {
  if (!fs.existsSync(entry)) return [];
  if (fs.statSync(entry).isFile()) return [entry];
  return (fs.readdirSync(entry, { recursive: true }) as string[])
    .map((f) => path.join(entry, f))
    .filter((f) => /\.(ts|tsx|mjs|js)$/.test(f) && !f.includes("node_modules") && fs.statSync(f).isFile());
}

describe("the one tracked path to a host", () => {
  it("no product code outside server/ssh and server/hosts reaches for a raw connection", () => {
    const files = ROOTS.flatMap(sources).filter((f) => !ALLOWED.some((a) => f.startsWith(a)));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((f) => {
      const text = fs.readFileSync(f, "utf8");
      return RAW.filter((r) => r.re.test(text)).map((r) => `${f}: ${r.what}`);
    });
    expect(offenders, "use openHost / trackHost from server/hosts instead").toEqual([]);
  });

  it("would notice one (the check itself works)", () => {
    expect(RAW.some((r) => r.re.test('import { getRemoteHost } from "../ssh";'))).toBe(true);
    expect(RAW.some((r) => r.re.test('const { Connection } = await import("../ssh/connection");'))).toBe(true);
  });
});
