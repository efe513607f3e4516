import { describe, expect, it } from "vitest";
import { upstreamVersion } from "./build";

describe("upstreamVersion", () => {
  it.each([
    ["1.6.20~ds1-1+deb12u3", "1.6.20"],
    ["1.1.5+ds1-1+deb12u1", "1.1.5"],
    ["1.1.1+ds1-3+b5", "1.1.1"],
    ["1:2.0.0-1", "2.0.0"],
  ])("%s -> %s", (debian, upstream) => expect(upstreamVersion(debian)).toBe(upstream));

  it("refuses a version with no number", () => expect(() => upstreamVersion("git-abc")).toThrow(/cannot read/));
});
