import "server-only";
import { StringDecoder } from "node:string_decoder";

// A command's output as the SSH layer keeps and streams it, shared by exec channels and shell sessions.

/** Splits a byte stream into lines (UTF-8 safe across chunks); a trailing \r is dropped. */
export class LineSplitter {
  private decoder = new StringDecoder("utf8");
  private partial = "";
  constructor(private readonly emit: (line: string) => void) {}
  push(chunk: Buffer) {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.emit(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
  end() {
    const rest = this.partial + this.decoder.end();
    this.partial = "";
    if (rest) this.emit(rest);
  }
}

export class Retained {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Keep the tail: the last lines are the ones that explain a failure.
    while (this.size > this.max && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.truncated = true;
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}
