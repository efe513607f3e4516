import "server-only";

/**
 * Run `work` on every item with at most `limit` running at once, each worker taking the next item as
 * it finishes one; resolves when all are done. A rejection rejects the whole (the caller's work
 * should not throw when one item's failure must not stop the others).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
