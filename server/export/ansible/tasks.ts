import "server-only";
import path from "node:path";
import type { Delivery, ResolvedArtifact } from "@/lib/contracts/artifacts";
import { compareVersions, describeAction, downloadUrl, findCached, installCommand, resolveAction } from "../../artifacts";
import { command as shellCommand } from "../../ssh/quote";
import { ExportError, type ExportStep } from "./plan";

// The steps' actions as Ansible tasks, with ansible.builtin modules only (Debian's ansible-core runs
// them without collections):
//   write-file      -> file (the directory, as mkdir -p) + copy with content, mode, root:root
//   upload-artifact -> get_url with checksum: sha256 (upstream or a mirror) or copy (bundled in the
//                      export), then unarchive for tarballs; single files go straight to their path
//   enable-unit     -> systemd enabled + started
//   run-command     -> by its trigger (catalog/types.ts CommandTrigger): a handler notified by the
//                      files it applies, `creates:` for "until a path exists", or a read of the live
//                      values plus a guarded task. The argv is the step's own argv.
// Tasks run in the steps' order; a handler is flushed where the step runs its command.

export type Task = Record<string, unknown>;

/**
 * Directories every systemd host has (the FHS's /usr/local tree, systemd's and procps's *.d): the
 * export makes the others, as the wizard's `mkdir -p` does. Each task costs a remote Python run.
 */
const ALWAYS_THERE = new Set(["/etc", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/etc/modules-load.d", "/etc/sysctl.d"]);

export interface StepTasks {
  stepId: string;
  title: string;
  summary: string;
  notes: string[];
  /** Task with the reason the step gave (a comment above it in the YAML). */
  tasks: { task: Task; why: string | null }[];
}

export interface BundledFile {
  artifact: ResolvedArtifact;
  /** Where the dashboard has it (its cache, or the local release directory). */
  source: string;
}

export interface RenderedTasks {
  steps: StepTasks[];
  handlers: Task[];
  preflight: Task[];
  bundled: BundledFile[];
  /** Release files the hosts download (for the README). */
  downloads: { file: string; url: string; sha256: string | null }[];
}

/** Where the playbook keeps downloaded tarballs on the host, so a second run finds them and skips the download. */
export const ARTIFACT_DIR_VAR = "nodeprep_artifact_dir";
export const ARTIFACT_DIR_DEFAULT = "/var/cache/nodeprep/artifacts";

const octalMode = (mode: number | string) => `0${(typeof mode === "number" ? mode.toString(8) : mode).replace(/^0/, "")}`;
const varName = (stepId: string, n: number) => `nodeprep_${stepId.replace(/-/g, "_")}_${n}`;
/** A Jinja list literal of constant strings (values come from the catalog, never from a request). */
const jinjaList = (items: string[]) => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;

export interface TaskOptions {
  delivery: Delivery;
  /** Find a release file in the dashboard's cache (tests pass their own). */
  findFile?: (artifact: ResolvedArtifact) => string | null;
}

export function renderTasks(plan: readonly ExportStep[], opts: TaskOptions): RenderedTasks {
  const findFile = opts.findFile ?? ((a: ResolvedArtifact) => findCached(a));
  // Pass 1: which handler applies which path (notify is written on the task that changes the path).
  const handlerFor = new Map<string, Set<string>>();
  const handlers = new Map<string, Task>();
  for (const { step, actions } of plan) {
    for (const a of actions) {
      if (a.kind !== "run-command") continue;
      if (!a.when || (!a.when.changed && !a.when.until && !a.when.unless)) {
        throw new ExportError(`step ${step.id}: the command ${shellCommand(a.argv)} does not say when it is needed (run-command needs \`when\`), so the playbook could not run it only when needed`);
      }
      if (a.when.changed && !a.when.unless && !a.when.until) {
        const name = shellCommand(a.argv);
        handlers.set(name, { name, "ansible.builtin.command": { argv: a.argv } });
        for (const p of a.when.changed) (handlerFor.get(p) ?? handlerFor.set(p, new Set()).get(p)!).add(name);
      }
    }
  }
  const notify = (p: string) => {
    const names = [...(handlerFor.get(p) ?? [])];
    return names.length ? { notify: names } : {};
  };
  // The registered result of the task that last wrote each path (for "changed" in guarded tasks).
  const writtenBy = new Map<string, string>();
  const bundled: BundledFile[] = [];
  const downloads: RenderedTasks["downloads"] = [];
  const dirsMade = new Set<string>();
  const glibcMins: string[] = [];

  const steps = plan.map(({ step, actions, notes }): StepTasks => {
    const out: StepTasks["tasks"] = [];
    let n = 0;
    const label = (what: string) => `${step.id} | ${what}`;
    const push = (task: Task, why: string | null = null) => out.push({ task, why });
    const ensureDir = (dir: string, mode?: string) => {
      if (dirsMade.has(dir) || ALWAYS_THERE.has(dir)) return;
      dirsMade.add(dir);
      push({ name: label(`directory ${dir}`), "ansible.builtin.file": { path: dir, state: "directory", ...(mode ? { mode } : {}) } });
    };

    for (const a of actions) {
      switch (a.kind) {
        case "write-file": {
          ensureDir(path.posix.dirname(a.path));
          const reg = varName(step.id, ++n);
          writtenBy.set(a.path, reg);
          push(
            {
              name: label(`write ${a.path}`),
              "ansible.builtin.copy": { dest: a.path, content: a.content, mode: octalMode(a.mode), owner: "root", group: "root" },
              register: reg,
              ...notify(a.path),
            },
            a.reason,
          );
          break;
        }
        case "enable-unit": {
          // In --check nothing was written, so a unit this export installs does not exist yet and the
          // systemd module would fail to find it: skip it then (the unit's own task shows the change).
          const unitFile = [...writtenBy.entries()].find(([p]) => path.posix.basename(p) === `${a.unit}.service`)?.[1];
          push(
            {
              name: label(`enable${a.now ? " and start" : ""} ${a.unit}`),
              "ansible.builtin.systemd": { name: a.unit, enabled: true, ...(a.now ? { state: "started" } : {}) },
              ...(unitFile ? { when: `not (ansible_check_mode and ${unitFile} is changed)` } : {}),
            },
            `${a.unit}: started now and at every boot`,
          );
          break;
        }
        case "run-command": {
          const when = a.when!;
          const line = shellCommand(a.argv);
          if (when.until) {
            push({ name: label(line), "ansible.builtin.command": { argv: a.argv, creates: when.until } }, `${a.reason} (needed until ${when.until} exists)`);
          } else if (when.unless) {
            const live = varName(step.id, ++n);
            push(
              {
                name: label(`read ${when.unless.read.join(" ")}`),
                "ansible.builtin.command": { argv: ["cat", ...when.unless.read] },
                register: live,
                changed_when: false,
                failed_when: false,
                check_mode: false,
              },
              `${line} is needed while these do not all read ${when.unless.equals}`,
            );
            const conditions = [
              ...(when.changed ?? []).flatMap((p) => (writtenBy.has(p) ? [`${writtenBy.get(p)} is changed`] : [])),
              `${live}.rc != 0`,
              `${live}.stdout_lines != ${jinjaList(when.unless.read.map(() => when.unless!.equals))}`,
            ];
            push({ name: label(line), "ansible.builtin.command": { argv: a.argv }, when: conditions.join(" or ") }, a.reason);
          } else {
            // A handler: it runs here (flushed) if a task above changed one of the files it applies.
            push({ name: label(`apply changes: ${line} if notified`), "ansible.builtin.meta": "flush_handlers" }, a.reason);
          }
          break;
        }
        case "upload-artifact": {
          const artifact = resolveAction(a);
          if (artifact.libc.glibcMin) glibcMins.push(artifact.libc.glibcMin);
          const checksum = artifact.sha256 ? `sha256:${artifact.sha256}` : artifact.sumsUrl ? `sha256:${artifact.sumsUrl}` : null;
          if (!checksum) throw new ExportError(`${artifact.file} has neither a sha256 nor a checksum file to verify against`);
          const dest = a.dest;
          const target = dest.kind === "file" ? dest.path : `{{ ${ARTIFACT_DIR_VAR} }}/${artifact.file}`;
          const reg = varName(step.id, ++n);
          let fetch: Task;
          if (opts.delivery.kind === "cache") {
            const source = findFile(artifact);
            if (!source) {
              throw new ExportError(
                `${artifact.file} (${artifact.component} ${artifact.version}) is not in the dashboard's artifact cache, so it cannot be bundled: fetch or upload it on the artifacts panel first, or export with the hosts downloading it`,
              );
            }
            if (!bundled.some((b) => b.artifact.file === artifact.file)) bundled.push({ artifact, source });
            fetch = {
              name: label(`copy ${artifact.file} (bundled, sha256 checked on the controller first)`),
              "ansible.builtin.copy": { src: artifact.file, dest: target, mode: dest.kind === "file" ? octalMode(dest.mode) : "0644", owner: "root", group: "root" },
            };
          } else {
            let url: string;
            try {
              url = downloadUrl(artifact, opts.delivery);
            } catch (error) {
              throw new ExportError(`${(error as Error).message.replace("deliver it from the dashboard's cache instead", "export it bundled instead")}`);
            }
            downloads.push({ file: artifact.file, url, sha256: artifact.sha256 });
            fetch = {
              name: label(`download ${artifact.file}`),
              "ansible.builtin.get_url": { url, dest: target, checksum, mode: dest.kind === "file" ? octalMode(dest.mode) : "0644", owner: "root", group: "root" },
            };
          }
          if (dest.kind === "file") {
            ensureDir(path.posix.dirname(dest.path));
            writtenBy.set(dest.path, reg);
            push({ ...fetch, register: reg, ...notify(dest.path) }, describeAction(a));
          } else {
            ensureDir(`{{ ${ARTIFACT_DIR_VAR} }}`, "0755");
            push({ ...fetch, register: reg }, describeAction(a));
            ensureDir(dest.dir);
            const unpack = varName(step.id, ++n);
            writtenBy.set(dest.dir, unpack);
            // The wizard's own install command, run when the release file arrived or changed: a second
            // run copies nothing and so extracts nothing (a binary deleted since shows in nodeprep's health).
            push(
              {
                name: label(`extract ${artifact.file} into ${dest.dir}`),
                "ansible.builtin.command": { cmd: installCommand(dest, target) },
                register: unpack,
                when: `${reg} is changed`,
                ...notify(dest.dir),
              },
              `as nodeprep does: ${installCommand(dest, artifact.file)}`,
            );
          }
          break;
        }
      }
    }
    return { stepId: step.id, title: step.title, summary: step.summary, notes, tasks: out };
  });

  // One read of what nodeprep's facts decide on (server/facts: sd_booted, uname -m, glibc), asserted
  // on the controller: no fact gathering, one remote command.
  const arches = [...new Set(bundledArches(plan))];
  const machine = arches[0] === "arm64" ? "aarch64" : "x86_64";
  const glibc = glibcMins.sort(compareVersions).at(-1);
  const preflight: Task[] = [
    {
      name: "nodeprep | read the init system, the architecture and the C library",
      "ansible.builtin.shell": "if [ -d /run/systemd/system ]; then echo systemd; else echo other; fi; uname -m; getconf GNU_LIBC_VERSION 2>/dev/null || echo unknown",
      register: "nodeprep_host",
      changed_when: false,
      check_mode: false,
    },
    {
      name: "nodeprep | the recipe is for hosts run by systemd",
      "ansible.builtin.assert": { that: ["nodeprep_host.stdout_lines[0] == 'systemd'"], fail_msg: "this host's init is not systemd: nodeprep's recipe (containerd.service, modules-load.d, the systemd cgroup driver) needs it", quiet: true },
    },
  ];
  if (arches.length) {
    preflight.push({
      name: `nodeprep | the release files are built for ${machine}`,
      "ansible.builtin.assert": { that: [`nodeprep_host.stdout_lines[1] == '${machine}'`], fail_msg: `this export carries ${arches[0]} release files, the host is {{ nodeprep_host.stdout_lines[1] }}: export again for its architecture`, quiet: true },
    });
  }
  if (glibc) {
    preflight.push({
      name: `nodeprep | the release files need glibc ${glibc} or newer`,
      "ansible.builtin.assert": {
        that: [`nodeprep_host.stdout_lines[2].split()[-1] is version('${glibc}', '>=')`],
        fail_msg: `the release files are linked against glibc ${glibc}; this host has {{ nodeprep_host.stdout_lines[2] }} (nodeprep refuses such a host the same way)`,
        quiet: true,
      },
    });
  }
  if (bundled.length) {
    preflight.push(
      {
        name: "nodeprep | the bundled release files have their sha256 (on the controller, before anything is copied)",
        "ansible.builtin.stat": { path: "{{ role_path }}/files/{{ item.file }}", checksum_algorithm: "sha256", get_checksum: true },
        loop: "{{ nodeprep_bundled_files }}",
        loop_control: { label: "{{ item.file }}" },
        register: "nodeprep_bundled",
        delegate_to: "localhost",
        run_once: true,
        become: false,
      },
      {
        name: "nodeprep | refuse a bundled file whose sha256 differs",
        "ansible.builtin.assert": {
          that: ["item.stat.exists", "item.stat.checksum == item.item.sha256"],
          fail_msg: "{{ item.item.file }}: expected sha256 {{ item.item.sha256 }}, got {{ item.stat.checksum | default('no file') }}",
          quiet: true,
        },
        loop: "{{ nodeprep_bundled.results }}",
        loop_control: { label: "{{ item.item.file }}" },
        delegate_to: "localhost",
        run_once: true,
        become: false,
      },
    );
  }
  return { steps, handlers: [...handlers.values()], preflight, bundled, downloads };
}

function bundledArches(plan: readonly ExportStep[]): string[] {
  return plan.flatMap((s) => s.actions.flatMap((a) => (a.kind === "upload-artifact" && !a.artifactId.endsWith(":any") ? [a.artifactId.split(":")[1]] : [])));
}
