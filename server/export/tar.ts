import "server-only";
import fs from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import { createGzip } from "node:zlib";

// A .tar.gz written as a stream (POSIX ustar, what GNU tar and Python's tarfile read), so an export
// with 60 MB of bundled release files never sits in memory. Names up to 255 bytes (prefix + name).

export interface TarEntry {
  path: string;
  mode: number;
  content?: string | Buffer;
  /** A file on disk, streamed. */
  source?: string;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function splitName(p: string): { name: string; prefix: string } {
  if (Buffer.byteLength(p) <= 100) return { name: p, prefix: "" };
  const cut = p.lastIndexOf("/", 155);
  if (cut <= 0 || Buffer.byteLength(p.slice(cut + 1)) > 100) throw new Error(`tar: path too long for ustar: ${p}`);
  return { name: p.slice(cut + 1), prefix: p.slice(0, cut) };
}

export function tarHeader(p: string, size: number, mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const { name, prefix } = splitName(p);
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode & 0o7777, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(Math.floor(mtime / 1000), 12), 136, "ascii");
  h.write("        ", 148, "ascii"); // checksum field counts as spaces
  h.write("0", 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write("root", 265, "ascii");
  h.write("root", 297, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}

const padding = (size: number) => Buffer.alloc((512 - (size % 512)) % 512, 0);

/** The entries as a gzip-compressed tar stream. */
export function tarGz(entries: readonly TarEntry[], opts: { mtime?: number; level?: number } = {}): Readable {
  const tar = new PassThrough();
  const gzip = createGzip({ level: opts.level ?? 6 });
  const mtime = opts.mtime ?? Date.now();
  (async () => {
    for (const e of entries) {
      if (e.source) {
        const size = (await fs.promises.stat(e.source)).size;
        tar.write(tarHeader(e.path, size, e.mode, mtime));
        for await (const chunk of fs.createReadStream(e.source)) {
          if (!tar.write(chunk)) await new Promise((r) => tar.once("drain", r));
        }
        tar.write(padding(size));
      } else {
        const data = Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content ?? "", "utf8");
        tar.write(tarHeader(e.path, data.length, e.mode, mtime));
        tar.write(data);
        tar.write(padding(data.length));
      }
    }
    tar.end(Buffer.alloc(1024, 0));
  })().catch((error) => tar.destroy(error as Error));
  return tar.pipe(gzip);
}
