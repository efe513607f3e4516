import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ReleaseList, formatArtifactId, parseArtifactId, type Release } from "@/lib/contracts/artifacts";
import { checkLibc, pickArtifact } from "./host-fit";
import { localFilePath, localReleases } from "./local-releases";
import { buildReleases, defaultRelease, resolveArtifact } from "./releases";
import { ArtifactError } from "./errors";
import { upstreamReleases } from "./upstream-releases";

const upstreamOnly = () => buildReleases({ localDir: null });

// The lab's releases.json, as lab/artifacts/build.ts writes it (real sums of the Debian builds).
const labReleasesJson = {
  containerd: { version: "1.6.20", file: "containerd-1.6.20-linux-amd64.tar.gz", sha256: "a7fac0d6f203a575e5209cc6cb1320f7e62c1cd36c44c0c10d28d1d4d145dcf0" },
  runc: { version: "1.1.5", file: "runc.amd64", sha256: "9a87d5bcdd630ec420ec56a6c21b70aa6960edcefe1cf4bb181cee290bdd6b98" },
  cni: { version: "1.1.1", file: "cni-plugins-linux-amd64-v1.1.1.tgz", sha256: "f82c54c2dd9afd4f2712ad5d3b1e709985e848ac0725f6db134a269ed31a175b" },
  service: { file: "containerd.service", sha256: "12a76c13cad132222d2b3d2025e56212d205d37eca77508dbbfcdf6ababbf70a" },
};

const tmpDirs: string[] = [];
function labDir(json: unknown = labReleasesJson): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-local-releases-"));
  tmpDirs.push(dir);
  fs.writeFileSync(path.join(dir, "releases.json"), JSON.stringify(json));
  return dir;
}
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function artifactError(fn: () => unknown): ArtifactError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ArtifactError);
    return error as ArtifactError;
  }
  throw new Error("expected an ArtifactError");
}

describe("release list schema", () => {
  it("accepts the upstream table, every file with a 64-hex sum and a GitHub release URL", () => {
    const { releases } = upstreamOnly();
    // containerd 5 + containerd-static 5 + runc 3 + CNI plugins 5, each for amd64 and arm64
    expect(releases).toHaveLength(18);
    for (const r of releases) {
      expect(Object.keys(r.files).sort()).toEqual(["amd64", "arm64"]);
      for (const f of Object.values(r.files)) {
        expect(f!.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(f!.url).toMatch(/^https:\/\/github\.com\/(containerd\/containerd|opencontainers\/runc|containernetworking\/plugins)\/releases\/download\/v\d+\.\d+\.\d+\//);
        expect(f!.url!.endsWith(`/${f!.file}`)).toBe(true);
      }
    }
  });

  const valid: Release = {
    component: "runc",
    version: "1.3.4",
    source: "upstream",
    variant: "default",
    files: { amd64: { file: "runc.amd64", url: "https://example.test/runc.amd64", sha256: "a".repeat(64), sumsUrl: null } },
    libc: { glibcMin: null, musl: true, reference: null },
  };

  it("rejects a duplicate release, a malformed sum, a file with no way to verify it, a bad version and a path as file name", () => {
    expect(ReleaseList.safeParse([valid]).success).toBe(true);
    const dup = ReleaseList.safeParse([valid, valid]);
    expect(dup.success).toBe(false);
    expect(dup.error!.issues[0].message).toContain("duplicate release runc 1.3.4 upstream default");

    const badSum = ReleaseList.safeParse([{ ...valid, files: { amd64: { ...valid.files.amd64!, sha256: "ABC" } } }]);
    expect(badSum.error!.issues[0].path).toEqual([0, "files", "amd64", "sha256"]);

    const noSum = ReleaseList.safeParse([{ ...valid, files: { amd64: { ...valid.files.amd64!, sha256: null, sumsUrl: null } } }]);
    expect(noSum.error!.issues[0].message).toContain("needs a sha256 or a sumsUrl");
    // null sum + the project's checksum file is allowed: the host verifies against that file.
    expect(ReleaseList.safeParse([{ ...valid, files: { amd64: { ...valid.files.amd64!, sha256: null, sumsUrl: "https://example.test/runc.sha256sum" } } }]).success).toBe(true);

    expect(ReleaseList.safeParse([{ ...valid, version: "v1.3.4" }]).error!.issues[0].path).toEqual([0, "version"]);
    expect(ReleaseList.safeParse([{ ...valid, files: { amd64: { ...valid.files.amd64!, file: "../runc" } } }]).success).toBe(false);
    expect(ReleaseList.safeParse([{ ...valid, files: {} }]).error!.issues[0].message).toContain("has no files");
  });

  it("fails loudly when the table itself is broken", () => {
    const broken = upstreamReleases().map((r, i) => (i === 0 ? { ...r, version: "2.2" } : r));
    expect(() => buildReleases({ localDir: null, upstream: broken })).toThrow(/release catalogue is invalid at 0\.version/);
  });

  it("registers a local release directory from its releases.json, with its real sums", () => {
    const dir = labDir();
    const local = localReleases(dir);
    expect(local.map((r) => `${r.component}@${r.version}`)).toEqual(["containerd@1.6.20", "runc@1.1.5", "cni-plugins@1.1.1", "containerd-service@1.6.20"]);
    expect(local[0].files.amd64).toMatchObject({ file: "containerd-1.6.20-linux-amd64.tar.gz", url: null, sha256: labReleasesJson.containerd.sha256, sumsUrl: null });
    // A releases.json from before glibc was read from the ELF files: Debian 12's glibc.
    expect(local[0].libc.glibcMin).toBe("2.36");
    expect(local[3].files.any!.file).toBe("containerd.service");
    expect(() => localReleases(labDir({ containerd: labReleasesJson.containerd }))).toThrow(/releases\.json: runc/);
  });
});

describe("picking a file", () => {
  it("defaults to the newest upstream version", () => {
    const cat = upstreamOnly();
    expect(defaultRelease("containerd", { releases: cat }).version).toBe("2.2.1");
    expect(defaultRelease("runc", { releases: cat }).version).toBe("1.3.4");
    expect(defaultRelease("cni-plugins", { releases: cat }).version).toBe("1.8.0");
    expect(resolveArtifact("containerd", null, "amd64", { releases: cat }).version).toBe("2.2.1");
  });

  it("picks file, URL and published sum per arch", () => {
    const cat = upstreamOnly();
    const cd = resolveArtifact("containerd", "1.7.22", "arm64", { releases: cat });
    expect(cd).toMatchObject({
      file: "containerd-1.7.22-linux-arm64.tar.gz",
      url: "https://github.com/containerd/containerd/releases/download/v1.7.22/containerd-1.7.22-linux-arm64.tar.gz",
      sha256: "48d0a8461ae829b12b07c3663b14b70287d0607a0792719c51b4e4dd700b02ce",
      sumsUrl: "https://github.com/containerd/containerd/releases/download/v1.7.22/containerd-1.7.22-linux-arm64.tar.gz.sha256sum",
      arch: "arm64",
      source: "upstream",
    });
    const runc = resolveArtifact("runc", "1.3.4", "amd64", { releases: cat });
    expect(runc.file).toBe("runc.amd64");
    expect(runc.url).toBe("https://github.com/opencontainers/runc/releases/download/v1.3.4/runc.amd64");
    expect(runc.sha256).toBe("5966ca40b6187b30e33bfc299c5f1fe72e8c1aa01cf3fefdadf391668f47f103");
    const cni = resolveArtifact("cni-plugins", "1.1.1", "arm64", { releases: cat });
    expect(cni.file).toBe("cni-plugins-linux-arm64-v1.1.1.tgz");
    expect(cni.url).toBe("https://github.com/containernetworking/plugins/releases/download/v1.1.1/cni-plugins-linux-arm64-v1.1.1.tgz");
    const st = resolveArtifact("containerd", "2.2.1", "amd64", { releases: cat, variant: "static" });
    expect(st.file).toBe("containerd-static-2.2.1-linux-amd64.tar.gz");
    expect(st.sha256).toBe("af3e82bac6abed58d45956c653244aa2be583359a9753614278ef652012f2883");
  });

  it("refuses an architecture the release is not published for, saying which ones it is", () => {
    const cat = upstreamOnly();
    const arm = artifactError(() => resolveArtifact("containerd", "2.2.1", "arm", { releases: cat }));
    expect(arm.kind).toBe("unsupported-arch");
    expect(arm.message).toBe("containerd 2.2.1 is not available for arm; the catalogue has it for: amd64, arm64");
    const unknown = artifactError(() => resolveArtifact("runc", null, null, { releases: cat }));
    expect(unknown.message).toContain("not available for this host's architecture (not amd64 or arm64)");
  });

  it("names the known versions when asked for one it does not have", () => {
    const e = artifactError(() => resolveArtifact("runc", "1.0.0", "amd64", { releases: upstreamOnly() }));
    expect(e.kind).toBe("unknown-release");
    expect(e.message).toBe("runc 1.0.0 is not in the release catalogue; known: 1.3.4, 1.2.9, 1.1.15");
  });

  it("prefers a registered local release (practice nodes) and keeps it apart from upstream's build of the same version", () => {
    const cat = buildReleases({ localDir: labDir() });
    expect(defaultRelease("containerd", { releases: cat }).source).toBe("local");
    const local = resolveArtifact("cni-plugins", "1.1.1", "amd64", { releases: cat });
    expect(local).toMatchObject({ source: "local", url: null, sha256: labReleasesJson.cni.sha256 });
    const up = resolveArtifact("cni-plugins", "1.1.1", "amd64", { releases: cat, source: "upstream" });
    expect(up.sha256).toBe("b275772da4026d2161bf8a8b41ed4786754c8a93ebfb6564006d5da7f23831e5");
    expect(resolveArtifact("containerd-service", null, "amd64", { releases: cat })).toMatchObject({ arch: "any", file: "containerd.service" });
    const armLocal = artifactError(() => resolveArtifact("containerd", "1.6.20", "arm64", { releases: cat }));
    expect(armLocal.message).toBe("containerd 1.6.20 (local) is not available for arm64; the catalogue has it for: amd64");
  });

  it("round-trips artifact ids", () => {
    const cat = buildReleases({ localDir: labDir() });
    for (const a of [
      resolveArtifact("containerd", "2.2.1", "arm64", { releases: cat, variant: "static" }),
      resolveArtifact("runc", "1.1.5", "amd64", { releases: cat }),
      resolveArtifact("containerd-service", "1.6.20", "amd64", { releases: cat }),
    ]) {
      const id = formatArtifactId(a);
      const back = parseArtifactId(id);
      expect(resolveArtifact(back.component, back.version, back.arch, { releases: cat, source: back.source, variant: back.variant })).toEqual(a);
    }
    expect(formatArtifactId(resolveArtifact("runc", "1.1.5", "amd64", { releases: cat }))).toBe("runc@1.1.5~local:amd64");
    expect(() => parseArtifactId("runc@1.1.5:riscv64")).toThrow();
  });
});

describe("libc policy (the containerd step's refusal)", () => {
  const cat = upstreamOnly();

  it("refuses the dynamically linked tarball on musl and points to the static build", () => {
    const a = resolveArtifact("containerd", "2.2.1", "amd64", { releases: cat });
    const v = checkLibc(a, { kind: "musl", version: "1.2.4" }, { releases: cat });
    expect(v.ok).toBe(false);
    expect(v.reason).toContain("containerd-2.2.1-linux-amd64.tar.gz is dynamically linked against glibc and does not run on musl (Alpine)");
    expect(v.reason).toContain("Use the statically linked build instead: containerd-static-2.2.1-linux-amd64.tar.gz.");
    expect(v.alternative?.sha256).toBe("af3e82bac6abed58d45956c653244aa2be583359a9753614278ef652012f2883");
    expect(checkLibc(v.alternative!, { kind: "musl", version: "1.2.4" }, { releases: cat }).ok).toBe(true);
  });

  it("refuses containerd 2.2 on glibc older than 2.35, accepts 2.1 there, and accepts 2.2 on Debian 12", () => {
    const v22 = resolveArtifact("containerd", "2.2.1", "amd64", { releases: cat });
    const old = checkLibc(v22, { kind: "glibc", version: "2.31" }, { releases: cat });
    expect(old.ok).toBe(false);
    expect(old.reason).toContain("needs glibc >= 2.35, the host has 2.31");
    expect(old.reason).toContain("glibc 2.35 (Ubuntu 22.04)");
    expect(checkLibc(resolveArtifact("containerd", "2.1.6", "amd64", { releases: cat }), { kind: "glibc", version: "2.31" }).ok).toBe(true);
    expect(checkLibc(v22, { kind: "glibc", version: "2.36" }).ok).toBe(true);
    expect(checkLibc(v22, { kind: "glibc", version: "2.4" }).ok).toBe(false); // 2.4 < 2.35 numerically, not as strings
    expect(checkLibc(v22, { kind: "unknown", version: null }).reason).toContain("could not be identified");
  });

  it("has no static alternative for the lab's Debian build, and says what to do instead", () => {
    const lab = buildReleases({ localDir: labDir() });
    const a = resolveArtifact("containerd", "1.6.20", "amd64", { releases: lab });
    const v = checkLibc(a, { kind: "glibc", version: "2.31" }, { releases: lab });
    expect(v.ok).toBe(false);
    expect(v.alternative).toBeNull();
    expect(v.reason).toContain("needs glibc >= 2.36, the host has 2.31");
    expect(v.reason).toContain("containerd-static, 1.7 and later");
  });
});

// The lab's releases.json of each shape, as lab/artifacts/build.ts wrote them from Debian 11, 12 and
// 13's packages (glibc needs read from the ELF files: fixtures/lab-releases-*.json).
describe("several local builds (one per Debian release and arch): the pick fits the host", () => {
  const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", `lab-releases-${name}.json`), "utf8");
  function shapesDir(): string {
    const dirs = ["bullseye-amd64", "bookworm-amd64", "trixie-amd64", "bookworm-arm64"].map((name) => {
      const dir = labDir(JSON.parse(fixture(name)));
      // Two builds' files share a name (CNI plugins 1.1.1 in Debian 12 and 13): each directory has its own.
      fs.writeFileSync(path.join(dir, JSON.parse(fixture(name)).cni.file), name);
      return dir;
    });
    return dirs.join(path.delimiter);
  }
  const host = (debian: string, glibc: string, arch = "amd64") => ({ arch, libc: { kind: "glibc" as const, version: glibc }, os: { id: "debian", versionId: debian } });
  const bullseye = host("11", "2.31");
  const bookworm = host("12", "2.36");
  const trixie = host("13", "2.41");
  const id = (a: Parameters<typeof formatArtifactId>[0]) => formatArtifactId(a);

  it("merges one build's amd64 and arm64 files into one release, each file with the glibc its ELF files need", () => {
    const cat = buildReleases({ localDir: shapesDir() });
    const cd = cat.releases.find((r) => r.component === "containerd" && r.build === "debian12")!;
    expect(Object.keys(cd.files).sort()).toEqual(["amd64", "arm64"]);
    expect(cd.files.arm64!.libc!.glibcMin).toBe("2.34");
    const runc13 = cat.releases.find((r) => r.component === "runc" && r.build === "debian13")!;
    expect(runc13.libc.glibcMin).toBe("2.38");
    expect(runc13.libc.reference).toBe("built from Debian 13 (trixie) packages, dynamically linked: its binaries ask for GLIBC_2.38");
  });

  it("gives each Debian host its own release's build", () => {
    const cat = buildReleases({ localDir: shapesDir() });
    const pick = (c: "containerd" | "runc" | "cni-plugins", h: typeof bookworm) => id(pickArtifact(c, null, h, { releases: cat }));
    expect([pick("containerd", bullseye), pick("runc", bullseye), pick("cni-plugins", bullseye)]).toEqual([
      "containerd@1.4.13~local-debian11:amd64",
      "runc@1.0.0~local-debian11:amd64",
      "cni-plugins@0.9.0~local-debian11:amd64",
    ]);
    expect([pick("containerd", bookworm), pick("runc", bookworm), pick("cni-plugins", bookworm)]).toEqual([
      "containerd@1.6.20~local-debian12:amd64",
      "runc@1.1.5~local-debian12:amd64",
      "cni-plugins@1.1.1~local-debian12:amd64",
    ]);
    expect([pick("containerd", trixie), pick("runc", trixie), pick("cni-plugins", trixie)]).toEqual([
      "containerd@1.7.24~local-debian13:amd64",
      "runc@1.1.15~local-debian13:amd64",
      "cni-plugins@1.1.1~local-debian13:amd64",
    ]);
    expect(pickArtifact("containerd", null, host("12", "2.36", "arm64"), { releases: cat }).file).toBe("containerd-1.6.20-linux-arm64.tar.gz");
  });

  it("a host with no build of its own gets the newest that runs there: Ubuntu 22.04 (glibc 2.35) cannot take Debian 13's runc (2.38)", () => {
    const cat = buildReleases({ localDir: shapesDir() });
    const ubuntu = { arch: "amd64", libc: { kind: "glibc" as const, version: "2.35" }, os: { id: "ubuntu", versionId: "22.04" } };
    expect(id(pickArtifact("containerd", null, ubuntu, { releases: cat }))).toBe("containerd@1.7.24~local-debian13:amd64");
    expect(id(pickArtifact("runc", null, ubuntu, { releases: cat }))).toBe("runc@1.1.5~local-debian12:amd64");
    // Asked for a version: of its builds, one that runs there. Neither Debian build of CNI 1.1.1 runs
    // on glibc 2.31; upstream's (static) does.
    expect(id(pickArtifact("cni-plugins", "1.1.1", ubuntu, { releases: cat }))).toBe("cni-plugins@1.1.1~local-debian12:amd64");
    expect(id(pickArtifact("cni-plugins", "1.1.1", bullseye, { releases: cat }))).toBe("cni-plugins@1.1.1:amd64");
  });

  it("refuses Debian 12's containerd on the Debian 11 host, naming both glibcs, and offers the Debian 11 build", () => {
    const cat = buildReleases({ localDir: shapesDir() });
    const a = pickArtifact("containerd", "1.6.20", bullseye, { releases: cat });
    const v = checkLibc(a, bullseye.libc, { releases: cat, os: bullseye.os });
    expect(v.ok).toBe(false);
    expect(v.reason).toBe(
      "containerd-1.6.20-linux-amd64.tar.gz needs glibc >= 2.34, the host has 2.31 (built from Debian 12 (bookworm) packages, dynamically linked: its binaries ask for GLIBC_2.34). " +
        "containerd 1.4.13 (local, Debian 11 build: containerd-1.4.13-linux-amd64.tar.gz) fits this host: choose version 1.4.13.",
    );
    expect(id(v.alternative!)).toBe("containerd@1.4.13~local-debian11:amd64");
  });

  it("finds each build's own file when two share a name, and resolves ids with and without a build label", () => {
    const dirs = shapesDir();
    const cat = buildReleases({ localDir: dirs });
    for (const [h, name] of [[bookworm, "bookworm-amd64"], [trixie, "trixie-amd64"]] as const) {
      const a = pickArtifact("cni-plugins", "1.1.1", h, { releases: cat });
      expect(fs.readFileSync(localFilePath(dirs, a)!, "utf8")).toBe(name);
      const back = parseArtifactId(id(a));
      expect(resolveArtifact(back.component, back.version, back.arch, { releases: cat, source: back.source, build: back.build })).toEqual(a);
    }
    // An id from before builds were labelled: the first registered build of that version.
    expect(parseArtifactId("runc@1.1.5~local:amd64")).toMatchObject({ source: "local", build: null });
    expect(resolveArtifact("cni-plugins", "1.1.1", "amd64", { releases: cat, source: "local" }).build).toBe("debian12");
    expect(() => parseArtifactId("runc@1.1.5~local-Debian12:amd64")).toThrow();
  });
});
