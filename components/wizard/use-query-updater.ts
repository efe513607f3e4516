"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useRef } from "react";

/**
 * Changes some query parameters and keeps the others. `router.replace` lands in a transition, so a
 * second change made before the first has reached `useSearchParams` (a node ticked, then Apply
 * clicked at once) must build on the first, not on the URL of the last render: otherwise the run's
 * `?run=` replaces the URL without the `?nodes=` just chosen and the selection is lost.
 */
export function useQueryUpdater() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const current = params.toString();
  // The queries asked for and not yet seen in the URL, oldest first, each with the query it started from.
  const pending = useRef<{ from: string; to: string }[]>([]);
  return useCallback(
    (change: Record<string, string | null>) => {
      const landed = pending.current.findIndex((p) => p.to === current);
      if (landed >= 0) pending.current = pending.current.slice(landed + 1);
      // The URL is neither where ours started nor where one of ours went: navigation, start afresh.
      else if (pending.current.length && pending.current[0].from !== current) pending.current = [];
      const from = pending.current.at(-1)?.to ?? current;
      const q = new URLSearchParams(from);
      for (const [k, v] of Object.entries(change)) {
        if (v) q.set(k, v);
        else q.delete(k);
      }
      pending.current.push({ from, to: q.toString() });
      router.replace(`${pathname}?${q.toString()}`, { scroll: false });
    },
    [current, pathname, router],
  );
}
