// Release artifacts for tests and practice, in exactly the upstream layout, built from one Debian
// release's packages for one architecture (nothing may be downloaded from GitHub here):
//   containerd-<v>-linux-<arch>.tar.gz   bin/containerd, bin/ctr, bin/containerd-shim*
//   runc.<arch>                          one binary (Debian's links libseccomp dynamically)
//   cni-plugins-linux-<arch>-v<v>.tgz    flat plugin files (./bridge, ./host-local, ...)
//   containerd.service                   the upstream unit
//   SHA256SUMS, releases.json            sums, versions and the glibc each build needs
// The packages come through a private apt configuration (its own sources, lists and cache in a
// temporary directory) so any release and architecture can be fetched on any Debian machine without
// touching the machine's apt setup. The glibc a build needs is read from its binaries' ELF version
// needs (./elf.ts), never typed by hand.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sha256File, writeSha256Sums } from "../sha256sums";
import { archOfMachine, glibcNeeded, readElf } from "./elf";

export interface LocalEntry {
  version: string;
  file: string;
  sha256: string;
  /** MAJOR.MINOR of the newest GLIBC_ symbol version the binaries need; null for static binaries. */
  glibcMin: string | null;
}

export interface LocalReleases {
  /** Which build this is: the Debian release the packages come from ("debian12"). */
  build: string;
  /** "Debian 12 (bookworm)", for people. */
  builtFrom: string;
  arch: "amd64" | "arm64";
  containerd: LocalEntry;
  runc: LocalEntry;
  cni: LocalEntry;
  service: { file: string; sha256: string };
}

export interface ArtifactSource {
  suite: string;
  /** Debian's major version, e.g. "12". */
  debian: string;
  arch: "amd64" | "arm64";
  mirror: string;
}

/** "1.6.20~ds1-1+deb12u3" -> "1.6.20": the upstream version inside a Debian version. */
export function upstreamVersion(debianVersion: string): string {
  const noEpoch = debianVersion.replace(/^\d+:/, "");
  const m = /^(\d+(?:\.\d+)*)/.exec(noEpoch);
  if (!m) throw new Error(`cannot read an upstream version from ${debianVersion}`);
  return m[1];
}

const run = (cmd: string, args: string[], cwd?: string) =>
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });

/** apt-get options for a private apt root (sources, lists, cache) of one suite and architecture. */
export function privateAptOptions(root: string, source: Pick<ArtifactSource, "suite" | "arch" | "mirror">): string[] {
  return [
    `Dir::Etc::SourceList=${path.join(root, "sources.list")}`,
    "Dir::Etc::SourceParts=/dev/null",
    `Dir::State::Lists=${path.join(root, "lists")}`,
    // Not the machine's dpkg status: what this machine has installed says nothing about that suite.
    `Dir::State::status=${path.join(root, "status")}`,
    `Dir::Cache=${path.join(root, "cache")}`,
    `APT::Architecture=${source.arch}`,
    `APT::Architectures=${source.arch}`,
  ].flatMap((o) => ["-o", o]);
}

function downloadDebs(work: string, source: ArtifactSource, packages: string[]): void {
  const root = path.join(work, "apt");
  for (const d of ["lists/partial", "cache/archives/partial"]) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.writeFileSync(path.join(root, "status"), "");
  fs.writeFileSync(
    path.join(root, "sources.list"),
    `deb [arch=${source.arch} signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${source.mirror} ${source.suite} main\n`,
  );
  const opts = privateAptOptions(root, source);
  try {
    run("apt-get", [...opts, "-q", "update"]);
    run("apt-get", [...opts, "-q", "download", ...packages], work);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`apt-get could not fetch ${packages.join(", ")} from ${source.suite}/${source.arch} at ${source.mirror}: ${(e.stderr || e.message).trim().split("\n").slice(-3).join(" / ")}`);
  }
}

/**
 * One file out of one Debian package of a release and architecture, copied to `out` (tests take an
 * arm64 busybox-static this way for the arm64 node's container image).
 */
export function debianFile(source: ArtifactSource, pkg: string, fileInPackage: string, out: string): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-deb-"));
  try {
    downloadDebs(work, source, [pkg]);
    const deb = fs.readdirSync(work).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(".deb"));
    if (!deb) throw new Error(`apt-get download did not fetch ${pkg}`);
    run("dpkg-deb", ["-x", path.join(work, deb), path.join(work, "x")]);
    fs.copyFileSync(path.join(work, "x", fileInPackage), out);
    fs.chmodSync(out, 0o755);
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The glibc these binaries need, and a check that they are for the architecture the build claims. */
function inspect(files: string[], arch: "amd64" | "arm64"): string | null {
  const infos = files.map((f) => {
    const info = readElf(fs.readFileSync(f));
    if (archOfMachine(info.machine) !== arch) throw new Error(`${path.basename(f)} is built for ${info.machine}, not ${arch}`);
    return info;
  });
  return glibcNeeded(infos);
}

export async function buildArtifacts(outDir: string, source: ArtifactSource, log: (msg: string) => void = () => undefined): Promise<LocalReleases> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "nodeprep-artifacts-"));
  const { arch } = source;
  try {
    log(`downloading containerd, runc and containernetworking-plugins (${source.suite}, ${arch})`);
    downloadDebs(work, source, ["containerd", "runc", "containernetworking-plugins"]);
    const debs = fs.readdirSync(work).filter((f) => f.endsWith(".deb"));
    const extract = (pkg: string) => {
      const deb = debs.find((f) => f.startsWith(`${pkg}_`));
      if (!deb) throw new Error(`apt-get download did not fetch ${pkg}`);
      const dir = path.join(work, pkg);
      run("dpkg-deb", ["-x", path.join(work, deb), dir]);
      return { dir, version: upstreamVersion(run("dpkg-deb", ["-f", path.join(work, deb), "Version"]).trim()) };
    };
    const containerd = extract("containerd");
    const runc = extract("runc");
    const cni = extract("containernetworking-plugins");
    fs.mkdirSync(outDir, { recursive: true });
    log("packing them in the upstream layout and reading their ELF version needs");

    const stage = path.join(work, "containerd-stage", "bin");
    fs.mkdirSync(stage, { recursive: true });
    const cdBin = path.join(containerd.dir, "usr", "bin");
    for (const f of fs.readdirSync(cdBin).filter((f) => f === "containerd" || f === "ctr" || f.startsWith("containerd-shim"))) {
      fs.copyFileSync(path.join(cdBin, f), path.join(stage, f));
      fs.chmodSync(path.join(stage, f), 0o755);
    }
    const containerdGlibc = inspect(fs.readdirSync(stage).map((f) => path.join(stage, f)), arch);
    const containerdFile = `containerd-${containerd.version}-linux-${arch}.tar.gz`;
    run("tar", ["--owner=0", "--group=0", "-C", path.dirname(stage), "-czf", path.join(outDir, containerdFile), "bin"]);

    const runcFile = `runc.${arch}`;
    const runcBin = path.join(runc.dir, "usr", "sbin", "runc");
    const runcGlibc = inspect([runcBin], arch);
    fs.copyFileSync(runcBin, path.join(outDir, runcFile));
    fs.chmodSync(path.join(outDir, runcFile), 0o755);

    const cniFile = `cni-plugins-linux-${arch}-v${cni.version}.tgz`;
    const cniDir = path.join(cni.dir, "usr", "lib", "cni");
    const cniGlibc = inspect(fs.readdirSync(cniDir).map((f) => path.join(cniDir, f)).filter((f) => fs.statSync(f).isFile()), arch);
    run("tar", ["--owner=0", "--group=0", "-C", cniDir, "-czf", path.join(outDir, cniFile), "."]);

    const serviceFile = "containerd.service";
    fs.copyFileSync(path.join(__dirname, serviceFile), path.join(outDir, serviceFile));

    const files = [containerdFile, runcFile, cniFile, serviceFile].map((f) => path.join(outDir, f));
    fs.writeFileSync(path.join(outDir, "SHA256SUMS"), await writeSha256Sums(files));
    const releases: LocalReleases = {
      build: `debian${source.debian}`,
      builtFrom: `Debian ${source.debian} (${source.suite})`,
      arch,
      containerd: { version: containerd.version, file: containerdFile, sha256: await sha256File(files[0]), glibcMin: containerdGlibc },
      runc: { version: runc.version, file: runcFile, sha256: await sha256File(files[1]), glibcMin: runcGlibc },
      cni: { version: cni.version, file: cniFile, sha256: await sha256File(files[2]), glibcMin: cniGlibc },
      service: { file: serviceFile, sha256: await sha256File(files[3]) },
    };
    fs.writeFileSync(path.join(outDir, "releases.json"), JSON.stringify(releases, null, 2) + "\n");
    log(`artifacts: containerd ${containerd.version} (glibc >= ${containerdGlibc}), runc ${runc.version} (glibc >= ${runcGlibc}), CNI plugins ${cni.version} (glibc >= ${cniGlibc})`);
    return releases;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
