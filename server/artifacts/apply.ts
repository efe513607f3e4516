import "server-only";
import type { Delivery, ResolvedArtifact, UploadArtifactAction } from "@/lib/contracts/artifacts";
import { quote } from "../ssh/quote";
import type { RemoteHost } from "../ssh/types";
import type { CacheOptions } from "./cache";
import { resolveArtifact, type LoadedCatalogue } from "./catalogue";
import { ArtifactError } from "./errors";
import { withStagedArtifact } from "./stage";

// The executor of the declarative `upload-artifact` action (lib/contracts/artifacts.ts): steps return
// the action from `plan(facts)`, the runner calls `applyArtifactAction` with the host and the
// operator's delivery choice. Order: resolve for the host's arch -> stage -> sha256 on the host ->
// install as root -> remove the staged copy. A mismatch throws before the install command exists.

export interface ApplyArtifactOptions {
  /** `facts.arch` of the host. */
  arch: string | null;
  delivery: Delivery;
  signal?: AbortSignal;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  onLine?: (line: string) => void;
  cache?: CacheOptions;
  catalogue?: LoadedCatalogue;
  commandTimeoutMs?: number;
  downloadTimeoutMs?: number;
}

export interface AppliedArtifact {
  artifact: ResolvedArtifact;
  sha256: string;
  /** The install command as run (for the audit log and the run's events). */
  command: string;
}

export function resolveAction(action: UploadArtifactAction, arch: string | null, cat?: LoadedCatalogue): ResolvedArtifact {
  return resolveArtifact(action.component, action.version, arch, { source: action.source, variant: action.variant, catalogue: cat });
}

/** The root command that installs a verified file (one command: no `sh -c`, no `&&`). */
export function installCommand(action: UploadArtifactAction, remotePath: string): string {
  return action.dest.kind === "extract"
    ? `tar -C ${quote(action.dest.dir)} -xzf ${quote(remotePath)}`
    : `install -D -m ${quote(action.dest.mode)} ${quote(remotePath)} ${quote(action.dest.path)}`;
}

/** One line for the plan's diff ("what would change"). */
export function describeAction(action: UploadArtifactAction, arch: string | null, cat?: LoadedCatalogue): string {
  const a = resolveAction(action, arch, cat);
  const sum = a.sha256 ? `sha256 ${a.sha256.slice(0, 12)}…` : "sha256 from the project's checksum file";
  const where = action.dest.kind === "extract" ? `extract into ${action.dest.dir}` : `install as ${action.dest.path} (mode ${action.dest.mode})`;
  return `${a.file} (${a.component} ${a.version}${a.source === "local" ? ", local build" : ""}, ${sum}): verify on the host, then ${where}`;
}

export async function applyArtifactAction(host: RemoteHost, action: UploadArtifactAction, opts: ApplyArtifactOptions): Promise<AppliedArtifact> {
  const artifact = resolveAction(action, opts.arch, opts.catalogue);
  const timeoutMs = opts.commandTimeoutMs ?? 120_000;
  return withStagedArtifact(host, artifact, opts, async (staged) => {
    if (action.dest.kind === "extract") {
      const mk = await host.exec(`mkdir -p ${quote(action.dest.dir)}`, { asRoot: true, signal: opts.signal, timeoutMs });
      if (mk.code !== 0) throw new ArtifactError("host-command-failed", `mkdir -p ${action.dest.dir} failed on ${host.target.name}: ${mk.stderr.trim()}`, {});
    }
    const command = installCommand(action, staged.remotePath);
    opts.onLine?.(`installing ${artifact.file}: ${command}`);
    const r = await host.exec(command, { asRoot: true, signal: opts.signal, timeoutMs });
    if (r.code !== 0) {
      throw new ArtifactError(
        "host-command-failed",
        `installing ${artifact.file} on ${host.target.name} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split("\n").slice(-5).join("\n") || "no output"}`,
        { command, code: r.code },
      );
    }
    return { artifact, sha256: staged.sha256, command };
  });
}
