import { z } from "zod";

// What one round trip learns about a host. Plans are pure functions of these facts.
export const InstalledComponent = z.object({
  present: z.boolean(),
  path: z.string().nullable(),
  version: z.string().nullable(),
});

export const HostFacts = z.object({
  hostname: z.string(),
  os: z.object({ id: z.string(), versionId: z.string().nullable(), prettyName: z.string().nullable(), idLike: z.array(z.string()) }),
  kernel: z.string(),
  /** uname -m as printed */
  machine: z.string(),
  /** release-artifact arch name: x86_64->amd64, aarch64->arm64, armv7l->arm; null when unsupported */
  arch: z.enum(["amd64", "arm64", "arm"]).nullable(),
  libc: z.object({ kind: z.enum(["glibc", "musl", "unknown"]), version: z.string().nullable() }),
  init: z.enum(["systemd", "other"]),
  cgroup: z.enum(["v2", "v1", "unknown"]),
  swapActive: z.boolean(),
  machineId: z.string().nullable(),
  containerd: InstalledComponent,
  runc: InstalledComponent,
  cniPlugins: z.object({ present: z.boolean(), dir: z.string().nullable(), plugins: z.array(z.string()) }),
  kubelet: InstalledComponent,
  gatheredAt: z.string(),
});
export type HostFacts = z.infer<typeof HostFacts>;
