import "server-only";

/**
 * A request body's bytes, at most `max` of them even when no length was declared (chunked): reading
 * stops and the stream is cancelled as soon as more arrive, and `tooLarge()` is thrown.
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, max: number, tooLarge: () => Error): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}
