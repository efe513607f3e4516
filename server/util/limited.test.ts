import { describe, expect, it } from "vitest";
import { forEachLimited } from "./limited";

describe("forEachLimited", () => {
  it("does every item, never more than the limit at once, each worker taking the next as it finishes", async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const gates = new Map<number, () => void>();
    const work = forEachLimited([1, 2, 3, 4, 5], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.set(n, resolve));
      running--;
      done.push(n);
    });
    await Promise.resolve();
    expect([...gates.keys()]).toEqual([1, 2]);
    gates.get(2)!();
    await expect.poll(() => [...gates.keys()]).toEqual([1, 2, 3]);
    for (const n of [1, 3, 4, 5]) {
      await expect.poll(() => gates.has(n)).toBe(true);
      gates.get(n)!();
    }
    await work;
    expect(done).toEqual([2, 1, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it("an empty list is done at once; falsy items are items", async () => {
    await forEachLimited([], 4, () => Promise.reject(new Error("no work expected")));
    const seen: number[] = [];
    await forEachLimited([0, 0, 1], 8, async (n) => void seen.push(n));
    expect(seen).toEqual([0, 0, 1]);
  });
});
