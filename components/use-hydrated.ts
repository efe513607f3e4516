"use client";
import { useSyncExternalStore } from "react";

const never = () => () => undefined;

/**
 * False while React hydrates the server's HTML, true afterwards. Data the server could not have had
 * (a query another, earlier hydrated component already fetched) must wait for it: rendering it during
 * hydration makes the text differ from the server's, which React reports (error #418) and repairs by
 * rendering the whole boundary again on the client.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
