import "server-only";
import { z } from "zod";
import type { ProbeCheck, ProbeResult } from "@/lib/contracts/catalog";
import { parseContainerdVersion, parsePackaged, parseRuncVersion, type PackagedBinary } from "../parsers/runtime";
import { runningBinary, runWhenPresent } from "../inputs";
import { dataOf } from "../data";
import type { CommandOutput, Probe, Verdict } from "../types";
import { CONTAINERD_BIN, RUNC_BIN } from "./runtime-paths";
import { noAnswer } from "./verdicts";

// containerd's and runc's binaries: the release's in /usr/local, or a distribution's package. Every
// command is a constant (no outside value is spliced in).

const notFound = (out: CommandOutput) => out.exitCode === 127 || /not found|No such file or directory/.test(out.output);

// A distribution's package (Debian's containerd/runc, Docker's containerd.io) installs into /usr/bin or
// /usr/sbin; report its owner with whichever package manager the host has.
const packaged = (name: string, paths: string[]) =>
  `p=; for c in ${paths.join(" ")}; do [ -x "$c" ] && { p=$c; break; }; done; if [ -z "$p" ]; then false; else echo "$p"; "$p" --version; ` +
  `if command -v dpkg >/dev/null; then dpkg -S "$p"; elif command -v rpm >/dev/null; then rpm -qf "$p"; fi; fi`;

const PackageOwner = z.object({ manager: z.enum(["dpkg", "rpm"]), package: z.string() });

/** A binary from the distribution's packages: where, its version (null: not understood), who owns it (null: no package). */
const PackagedData = z.object({ path: z.string(), version: z.string().nullable(), owner: PackageOwner.nullable() });

/** The release's binary in /usr/local: answers with its version, is there but fails to run, or is not there. */
const releaseBinary = <T extends z.ZodRawShape>(version: T) =>
  z.discriminatedUnion("state", [
    z.object({ state: z.literal("runs"), version: z.string(), raw: z.string(), ...version }),
    z.object({ state: z.literal("broken"), exitCode: z.number().int().nullable() }),
    z.object({ state: z.literal("absent") }),
  ]);

const releaseState = (out: CommandOutput) => (notFound(out) ? ({ state: "absent" } as const) : ({ state: "broken", exitCode: out.exitCode } as const));

const packagedData = (b: PackagedBinary | null, version: string | null) => (b ? { path: b.path, version, owner: b.owner } : null);

const describeOwner = (b: PackagedBinary) =>
  b.owner ? `package ${b.owner.package} (${b.owner.manager})` : `${b.path}, not from a package`;

// ---- containerd ----

export const ContainerdInstalledData = z.object({
  /** The release tarball's /usr/local/bin/containerd. */
  release: releaseBinary({}),
  /** A containerd from the distribution's packages (/usr/bin/containerd), if there is one. */
  packaged: PackagedData.nullable(),
});
export type ContainerdInstalledData = z.infer<typeof ContainerdInstalledData>;

export const containerdInstalledProbe: Probe<ContainerdInstalledData> = {
  id: "containerd-installed",
  title: "containerd binary",
  fixStepId: "containerd",
  data: ContainerdInstalledData,
  commands: [
    { key: "local", command: `${CONTAINERD_BIN} --version`, inputs: runningBinary(CONTAINERD_BIN, "containerd.service") },
    { key: "package", command: packaged("containerd", ["/usr/bin/containerd"]), helper: true },
  ],
  parse(outputs): Verdict<ContainerdInstalledData> {
    const expected = `${CONTAINERD_BIN} --version answers (or a containerd from the distribution's packages)`;
    const local = outputs.local;
    if (!local) return noAnswer(expected);
    const localVersion = local.exitCode === 0 ? parseContainerdVersion(local.output) : null;
    const pkg = parsePackaged(outputs.package);
    const pkgVersion = pkg ? parseContainerdVersion(pkg.versionText) : null;
    const data: ContainerdInstalledData = {
      release: localVersion ? { state: "runs", ...localVersion } : releaseState(local),
      packaged: packagedData(pkg, pkgVersion?.version ?? null),
    };
    if (localVersion) {
      const checks: ProbeCheck[] = [
        { name: "version", status: "ok", observed: localVersion.version, expected: "a release" },
        { name: "installed by", status: "ok", observed: "release tarball in /usr/local", expected: "one containerd" },
      ];
      if (pkg) {
        checks[1] = { name: "installed by", status: "warn", observed: `release tarball in /usr/local AND ${describeOwner(pkg)}`, expected: "one containerd" };
        return {
          status: "warn",
          observed: `containerd ${localVersion.version} in /usr/local and ${pkgVersion?.version ?? "another"} from ${describeOwner(pkg)}`,
          expected,
          detail: `Two containerd binaries: the unit that starts containerd decides which one runs, and an upgrade of one silently does nothing. Remove one of them (the package with its package manager, or ${CONTAINERD_BIN}).`,
          checks,
          data,
        };
      }
      return {
        status: "ok",
        observed: `containerd ${localVersion.version} (${localVersion.raw}) at ${CONTAINERD_BIN}`,
        expected,
        detail: "Installed from the release tarball.",
        checks,
        data,
      };
    }
    if (pkg && pkgVersion) {
      return {
        status: "ok",
        observed: `containerd ${pkgVersion.version} from ${describeOwner(pkg)}`,
        expected,
        detail: pkg.owner
          ? `containerd comes from the distribution's package ${pkg.owner.package}: nodeprep leaves its binaries to the package manager and configures it. The package does not contain the CNI plugins: the CNI plugins step still installs them.`
          : `containerd at ${pkg.path} was not installed by a package nodeprep could name.`,
        checks: [
          { name: "version", status: "ok", observed: pkgVersion.version, expected: "a release" },
          { name: "installed by", status: "ok", observed: describeOwner(pkg), expected: "one containerd" },
        ],
        data,
      };
    }
    if (notFound(local)) {
      return { status: "fail", observed: "not installed", expected, detail: `${CONTAINERD_BIN} does not exist and no packaged containerd was found.`, checks: [], data };
    }
    return {
      status: "fail",
      observed: `${CONTAINERD_BIN} does not run (exit ${local.exitCode})`,
      expected,
      detail: `It exists but \`containerd --version\` failed: ${local.output.trim().split("\n").slice(-2).join(" / ") || "no output"}. A glibc build on musl or on an older glibc fails like this.`,
      checks: [],
      data,
    };
  },
};

/**
 * The containerd that runs, for plans: its version and whether a package owns it. The release's
 * binary wins when both are there (the warning names both); null when neither answers.
 */
export function installedContainerd(result: ProbeResult | undefined): { version: string; packaged: boolean } | null {
  const data = dataOf(containerdInstalledProbe, result);
  if (data?.release.state === "runs") return { version: data.release.version, packaged: false };
  if (data?.packaged?.version) return { version: data.packaged.version, packaged: true };
  return null;
}

// ---- runc ----

export const RuncInstalledData = z.object({
  /** The release's /usr/local/sbin/runc, with the OCI spec and libseccomp versions it reports. */
  release: releaseBinary({ spec: z.string().nullable(), libseccomp: z.string().nullable() }),
  /** A runc from the distribution's packages, if there is one. */
  packaged: PackagedData.nullable(),
});
export type RuncInstalledData = z.infer<typeof RuncInstalledData>;

export const runcInstalledProbe: Probe<RuncInstalledData> = {
  id: "runc-installed",
  title: "runc binary",
  fixStepId: "runc",
  data: RuncInstalledData,
  commands: [
    { key: "local", command: `${RUNC_BIN} --version`, inputs: runWhenPresent([RUNC_BIN]) },
    { key: "package", command: packaged("runc", ["/usr/bin/runc", "/usr/sbin/runc"]), helper: true },
  ],
  parse(outputs): Verdict<RuncInstalledData> {
    const expected = `${RUNC_BIN} --version answers (or a runc from the distribution's packages)`;
    const local = outputs.local;
    if (!local) return noAnswer(expected);
    const v = local.exitCode === 0 ? parseRuncVersion(local.output) : null;
    const pkg = parsePackaged(outputs.package);
    const pv = pkg ? parseRuncVersion(pkg.versionText) : null;
    const data: RuncInstalledData = { release: v ? { state: "runs", ...v } : releaseState(local), packaged: packagedData(pkg, pv?.version ?? null) };
    if (v) {
      const extra = [v.spec && `spec ${v.spec}`, v.libseccomp && `libseccomp ${v.libseccomp}`].filter(Boolean).join(", ");
      return {
        status: "ok",
        observed: `runc ${v.version} (${v.raw}) at ${RUNC_BIN}${extra ? `; ${extra}` : ""}`,
        expected,
        detail: pkg ? `Also ${describeOwner(pkg)} at ${pkg.path}: containerd runs the first runc on its PATH, ${RUNC_BIN}.` : "Installed from the release binary.",
        checks: [{ name: "version", status: "ok", observed: v.version, expected: "a release" }],
        data,
      };
    }
    if (pkg && pv) {
      return {
        status: "ok",
        observed: `runc ${pv.version} from ${describeOwner(pkg)}`,
        expected,
        detail: `runc at ${pkg.path} comes with the distribution's packages (Docker's containerd.io contains it): nodeprep leaves it to the package manager.`,
        checks: [{ name: "version", status: "ok", observed: pv.version, expected: "a release" }],
        data,
      };
    }
    if (notFound(local)) {
      return { status: "fail", observed: "not installed", expected, detail: `${RUNC_BIN} does not exist and no packaged runc was found: containerd cannot start containers.`, checks: [], data };
    }
    return {
      status: "fail",
      observed: `${RUNC_BIN} does not run (exit ${local.exitCode})`,
      expected,
      detail: `\`runc --version\` failed: ${local.output.trim().split("\n").slice(-2).join(" / ") || "no output"}.`,
      checks: [],
      data,
    };
  },
};
