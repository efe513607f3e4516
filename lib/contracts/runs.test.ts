import { describe, expect, it } from "vitest";
import { CreateRunBody } from "./runs";

const base = { stepIds: ["containerd"], nodeIds: ["n1"], mode: "check" as const };

describe("a run's versions", () => {
  it("takes a release version per component the wizard installs", () => {
    expect(CreateRunBody.parse({ ...base, versions: { containerd: "1.7.22", runc: "v1.1.14", "cni-plugins": "1.6.20~local" } }).versions).toEqual({
      containerd: "1.7.22",
      runc: "v1.1.14",
      "cni-plugins": "1.6.20~local",
    });
  });

  it("refuses shell text, an unknown component, and anything that is not a version", () => {
    for (const versions of [{ containerd: "1.7; rm -rf /" }, { containerd: "$(id)" }, { kubelet: "1.31.0" }, { runc: "latest" }]) {
      expect(CreateRunBody.safeParse({ ...base, versions }).success, JSON.stringify(versions)).toBe(false);
    }
  });
});
