import { describe, expect, it } from "vitest";
import type { ReleaseView } from "@/lib/contracts/artifacts";
import { versionChoices } from "./version-picker";

const release = (over: Partial<ReleaseView>): ReleaseView => ({
  component: "containerd",
  version: "2.2.1",
  source: "upstream",
  variant: "default",
  isDefault: false,
  glibcMin: null,
  musl: false,
  files: [],
  ...over,
});

describe("the wizard's version choices", () => {
  it("one entry per version of the step's component, the default first, local builds marked, static variants left out", () => {
    const releases = [
      release({ version: "1.6.20~local", source: "local", isDefault: true }),
      release({ version: "2.2.1" }),
      release({ version: "2.2.1", variant: "static" }),
      release({ version: "2.1.6" }),
      release({ component: "runc", version: "1.1.14" }),
    ];
    expect(versionChoices(releases, "containerd")).toEqual([
      { version: "1.6.20~local", isDefault: true, local: true },
      { version: "2.2.1", isDefault: false, local: false },
      { version: "2.1.6", isDefault: false, local: false },
    ]);
    expect(versionChoices(releases, "runc").map((c) => c.version)).toEqual(["1.1.14"]);
  });
});
