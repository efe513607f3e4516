import { describe, expect, it } from "vitest";
import { readLimited } from "./read-limited";

// highWaterMark 0: a chunk is pulled only when the reader asks for one.
const stream = (chunks: string[], pulled: string[] = []) =>
  new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) return controller.close();
        pulled.push(next);
        controller.enqueue(new TextEncoder().encode(next));
      },
    },
    { highWaterMark: 0 },
  );

describe("readLimited", () => {
  it("returns every byte up to the limit, and nothing for no body", async () => {
    expect((await readLimited(stream(["ab", "cd"]), 4, () => new Error("too large"))).toString()).toBe("abcd");
    expect((await readLimited(null, 4, () => new Error("too large"))).length).toBe(0);
  });

  it("stops reading at the first byte over the limit and throws the caller's error", async () => {
    const pulled: string[] = [];
    await expect(readLimited(stream(["abc", "de", "never read"], pulled), 4, () => new Error("over 4 bytes"))).rejects.toThrow("over 4 bytes");
    expect(pulled).toEqual(["abc", "de"]);
  });
});
