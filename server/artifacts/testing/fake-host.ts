import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { fakeTarget } from "../../ssh/testing/fake-host";
import type { ExecOptions, ExecResult, RemoteHost, UploadOptions } from "../../ssh/types";

// The tests' fake host (its target from server/ssh/testing/fake-host.ts) with an in-memory file system
// and just enough of the commands staging and installing use (mktemp, curl/wget, sha256sum, rm, mkdir,
// tar, install). Every command is recorded and parsed with real shell-word rules, so a badly quoted
// value breaks a test.

/** Split a command line into words the way sh would for the quoting quote() produces. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === "\\") {
      cur += line[++i];
      inWord = true;
    } else if (c === " ") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export interface FakeHostOptions {
  tools?: { curl?: boolean; wget?: boolean };
  /** What URLs serve, for curl/wget. */
  urls?: Record<string, Buffer | string>;
  uploadFails?: string;
  installFails?: string;
  /** Free bytes under /tmp (df, and uploads or downloads that do not fit fail as on a full disk). */
  freeBytes?: number;
}

export class FakeHost implements RemoteHost {
  readonly target = fakeTarget("fake-1", { nodeId: "n1" });
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>(["/tmp", "/usr/local"]);
  readonly commands: { command: string; asRoot: boolean }[] = [];
  readonly extracted: { dir: string; file: string; sha256: string }[] = [];
  readonly uploads: string[] = [];
  private counter = 0;

  constructor(private opts: FakeHostOptions = {}) {}

  private ok(stdout = ""): ExecResult {
    return { code: 0, signal: null, stdout, stderr: "", durationMs: 1 };
  }
  private fail(code: number, stderr: string): ExecResult {
    return { code, signal: null, stdout: "", stderr, durationMs: 1 };
  }
  private fetch(url: string): Buffer | null {
    const body = this.opts.urls?.[url];
    return body === undefined ? null : Buffer.from(body);
  }
  private put(path: string, data: Buffer) {
    const dir = path.slice(0, path.lastIndexOf("/")) || "/";
    if (!this.dirs.has(dir)) throw new Error(`${dir}: no such directory`);
    this.files.set(path, data);
  }
  private free(): number {
    const used = [...this.files].filter(([p]) => p.startsWith("/tmp/")).reduce((n, [, d]) => n + d.length, 0);
    return Math.max(0, (this.opts.freeBytes ?? 10 * 1024 ** 3) - used);
  }

  /** Paths under a directory (files and dirs), for "nothing changed" assertions. */
  listUnder(prefix: string): string[] {
    return [...this.files.keys(), ...this.dirs].filter((p) => p === prefix || p.startsWith(`${prefix}/`)).sort();
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.commands.push({ command, asRoot: options.asRoot ?? false });
    if (command.startsWith("if command -v curl")) {
      const t = this.opts.tools ?? { curl: true, wget: true };
      return this.ok(t.curl ? "curl\n" : t.wget ? "wget\n" : "none\n");
    }
    const w = shellWords(command);
    switch (w[0]) {
      case "mktemp": {
        const dir = `/tmp/nodeprep-artifact.fake${++this.counter}`;
        this.dirs.add(dir);
        return this.ok(`${dir}\n`);
      }
      case "curl":
      case "wget": {
        const out = w[w.indexOf(w[0] === "curl" ? "-o" : "-O") + 1];
        const url = w[w.length - 1];
        const body = this.fetch(url);
        if (!body) return this.fail(w[0] === "curl" ? 22 : 8, `${w[0]}: ${url}: 404 Not Found`);
        if (out === "-") return this.ok(body.toString());
        if (body.length > this.free()) {
          this.put(out, body.subarray(0, this.free()));
          return w[0] === "curl" ? this.fail(23, "curl: (23) Failure writing output to destination") : this.fail(3, "");
        }
        this.put(out, body);
        return this.ok();
      }
      case "sha256sum": {
        const data = this.files.get(w[1]);
        if (!data) return this.fail(1, `sha256sum: ${w[1]}: No such file or directory`);
        return this.ok(`${createHash("sha256").update(data).digest("hex")}  ${w[1]}\n`);
      }
      case "rm": {
        const target = w[w.length - 1];
        for (const p of [...this.files.keys()]) if (p.startsWith(`${target}/`)) this.files.delete(p);
        for (const d of [...this.dirs]) if (d === target || d.startsWith(`${target}/`)) this.dirs.delete(d);
        return this.ok();
      }
      case "df": {
        const kib = Math.floor(this.free() / 1024);
        return this.ok(`Filesystem 1024-blocks Used Available Capacity Mounted on\ntmpfs 4096 ${4096 - Math.min(kib, 4096)} ${kib} 99% /tmp\n`);
      }
      case "mkdir":
        this.dirs.add(w[w.length - 1]);
        return this.ok();
      case "tar": {
        // `tar Cxzvf DIR FILE` (the getting-started guide's words) or `tar -C DIR -xzf FILE`.
        const [dir, file] = w[1] === "Cxzvf" ? [w[2], w[3]] : [w[w.indexOf("-C") + 1], w[w.indexOf("-xzf") + 1]];
        const data = this.files.get(file);
        if (!data) return this.fail(2, `tar: ${file}: Cannot open: No such file or directory`);
        this.extracted.push({ dir, file, sha256: createHash("sha256").update(data).digest("hex") });
        this.files.set(`${dir}/bin/extracted-from-${file.split("/").pop()}`, data);
        return this.ok();
      }
      case "install": {
        const [src, dest] = w.slice(-2);
        if (this.opts.installFails) return this.fail(1, this.opts.installFails);
        const data = this.files.get(src);
        if (!data) return this.fail(1, `install: cannot stat '${src}'`);
        this.dirs.add(dest.slice(0, dest.lastIndexOf("/")));
        this.files.set(dest, data);
        return this.ok();
      }
      default:
        return this.fail(127, `sh: ${w[0]}: not found`);
    }
  }

  async upload(source: string | Buffer, remotePath: string, options: UploadOptions = {}): Promise<void> {
    this.uploads.push(remotePath);
    if (this.opts.uploadFails) throw new Error(this.opts.uploadFails);
    const data = typeof source === "string" ? fs.readFileSync(source) : source;
    if (data.length > this.free()) {
      this.put(remotePath, data.subarray(0, this.free()));
      throw new Error("Failure"); // what an SFTP server answers on ENOSPC (SSH_FX_FAILURE)
    }
    this.put(remotePath, data);
    options.onProgress?.(data.length, data.length);
  }
}
