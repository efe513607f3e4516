import { describe, expect, it } from "vitest";
import { formatDuration } from "./format";

describe("formatDuration", () => {
  it("reads as a person says it", () => {
    expect(formatDuration(52_400)).toBe("52 s");
    expect(formatDuration(252_000)).toBe("4 min 12 s");
    expect(formatDuration(3_780_000)).toBe("1 h 03 min");
    expect(formatDuration(-5)).toBe("0 s");
  });
});
