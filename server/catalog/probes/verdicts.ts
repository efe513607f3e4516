import "server-only";
import type { Verdict } from "../types";

/** The verdict of a probe whose command printed nothing back: the host did not answer (no data). */
export const noAnswer = (expected: string): Verdict<never> => ({
  status: "unknown",
  observed: "no answer",
  expected,
  detail: "The host did not answer this check.",
  checks: [],
  data: null,
});
