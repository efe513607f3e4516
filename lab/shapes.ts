// Practice-node shapes: which Debian release, architecture and kernel command line a node runs. Real
// fleets are mixed, and the differences that break a container runtime are exactly these: the
// tarball's architecture, the C library its binaries need, and cgroup v1 vs v2. Each shape
// is one cached image (rootfs, kernel, release artifacts from that release's packages, snapshot).

export const SHAPE_NAMES = ["bookworm", "bullseye", "trixie", "bookworm-cgroup1", "bookworm-arm64"] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

export interface Shape {
  name: ShapeName;
  /** Debian codename debootstrap installs and the artifacts' packages come from. */
  suite: "bullseye" | "bookworm" | "trixie";
  /** Debian's major version (os-release VERSION_ID). */
  debian: "11" | "12" | "13";
  arch: "amd64" | "arm64";
  /** Kernel command-line words added to the common ones. */
  cmdline: string[];
  /**
   * Another shape whose disk, kernel and artifacts this one boots unchanged (only the command line
   * differs): it costs a snapshot, not a second debootstrap.
   */
  diskOf?: ShapeName;
  summary: string;
}

export const DEFAULT_SHAPE: ShapeName = "bookworm";

export const SHAPES: Record<ShapeName, Shape> = {
  bookworm: { name: "bookworm", suite: "bookworm", debian: "12", arch: "amd64", cmdline: [], summary: "Debian 12, amd64, cgroup v2" },
  bullseye: { name: "bullseye", suite: "bullseye", debian: "11", arch: "amd64", cmdline: [], summary: "Debian 11, amd64, kernel 5.10, systemd 247, glibc 2.31" },
  trixie: { name: "trixie", suite: "trixie", debian: "13", arch: "amd64", cmdline: [], summary: "Debian 13, amd64, its newest kernel and systemd" },
  "bookworm-cgroup1": {
    name: "bookworm-cgroup1",
    suite: "bookworm",
    debian: "12",
    arch: "amd64",
    // systemd 252 still boots the legacy hierarchy when asked (systemd.unified_cgroup_hierarchy=0);
    // systemd 256 deprecated it, 258 removed it.
    cmdline: ["systemd.unified_cgroup_hierarchy=0"],
    diskOf: "bookworm",
    summary: "Debian 12, amd64, booted with the legacy cgroup v1 hierarchy",
  },
  "bookworm-arm64": { name: "bookworm-arm64", suite: "bookworm", debian: "12", arch: "arm64", cmdline: [], summary: "Debian 12, arm64 (emulated: qemu-system-aarch64 -M virt)" },
};

export function isShapeName(name: string): name is ShapeName {
  return (SHAPE_NAMES as readonly string[]).includes(name);
}

/** The shape called `name` (default: bookworm), or an error naming the known ones. */
export function shapeOf(name: string | undefined | null): Shape {
  const wanted = name ?? DEFAULT_SHAPE;
  if (!isShapeName(wanted)) throw new Error(`unknown practice-node shape "${wanted}": known shapes are ${SHAPE_NAMES.join(", ")}`);
  return SHAPES[wanted];
}
