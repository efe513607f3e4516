"use client";
import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False on the server and while React hydrates the server's HTML, true from then on (React renders
 * again after hydration when the two differ). Data that the browser may already hold when a part of
 * the page hydrates, but the server did not have, must wait for it: else the first client render
 * differs from the HTML and React throws #418.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
