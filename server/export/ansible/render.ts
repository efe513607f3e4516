import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Document, stringify } from "yaml";
import type { Delivery } from "@/lib/contracts/artifacts";
import { batchEndTasks, playKeywords, type AnsibleRollout } from "./rolling";
import { ARTIFACT_DIR_DEFAULT, ARTIFACT_DIR_VAR, type RenderedTasks, type Task } from "./tasks";

// The export's files: site.yml, the role (tasks per step, handlers, defaults, vars, bundled files),
// an inventory of the selected nodes, SHA256SUMS and a README whose prose lives in content/export/.

export const ROOT_DIR = "nodeprep-ansible";
const ROLE = "roles/nodeprep";

export interface ExportFile {
  path: string;
  /** Text content, or... */
  content?: string;
  /** ...a file on the dashboard's disk (a bundled release file). */
  source?: string;
  size?: number;
  mode: number;
}

const yamlOptions = { version: "1.1" as const, lineWidth: 0 };

/** A YAML list of tasks, each with the step's reason as a comment above it. */
function taskFile(header: string[], tasks: { task: Task; why: string | null }[]): string {
  const doc = new Document(tasks.map((t) => t.task), yamlOptions);
  const items = (doc.contents as unknown as { items: { commentBefore?: string; spaceBefore?: boolean }[] }).items;
  tasks.forEach((t, i) => {
    if (t.why) items[i].commentBefore = ` why: ${t.why.replace(/\s*\n\s*/g, " ")}`;
    if (i > 0) items[i].spaceBefore = true;
  });
  doc.commentBefore = header.map((l) => ` ${l}`).join("\n");
  return "---\n" + doc.toString(yamlOptions);
}

const yamlFile = (header: string, value: unknown) => `---\n# ${header}\n${stringify(value, yamlOptions)}`;

function readme(rendered: RenderedTasks, delivery: Delivery, stepTitles: string[], rollout: AnsibleRollout | undefined): string {
  const template = fs.readFileSync(path.join(process.cwd(), "content", "export", "ansible-readme.md"), "utf8");
  const artifacts = [
    ...rendered.bundled.map((b) => `${b.artifact.file} (bundled in ${ROLE}/files, sha256 ${b.artifact.sha256})`),
    ...rendered.downloads.map((d) => `${d.file} from ${d.url}${d.sha256 ? ` (sha256 ${d.sha256})` : " (sha256 from the project's checksum file)"}`),
  ];
  const notes = rendered.steps.filter((s) => s.notes.length).flatMap((s) => [`### ${s.title}`, "", ...s.notes.map((n) => `- ${n}`), ""]);
  const values: Record<string, string> = {
    steps: stepTitles.join(", "),
    artifacts: artifacts.length ? artifacts.map((a) => `\n- ${a}`).join("") : "none",
    delivery:
      delivery.kind === "cache"
        ? "bundled: the release files are in this export and copied to the hosts (no internet needed on the hosts)"
        : delivery.kind === "mirror"
          ? `the hosts download from the mirror ${delivery.url}`
          : "the hosts download from the projects' release URLs",
    sumsCheck: rendered.bundled.length ? "sha256sum -c SHA256SUMS                                    # the bundled files, before anything\n" : "",
    artifactDir: ARTIFACT_DIR_DEFAULT,
    notes: notes.length ? ["## Notes from the steps", "", ...notes].join("\n") : "",
    rolling: rollout ? rolloutProse(rollout) : "on every host at once (no `serial`).",
  };
  return template.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
}

/** The README's "Batches" paragraph: what the play's serial, max_fail_percentage and pauses do. */
function rolloutProse(r: AnsibleRollout): string {
  const hosts = (v: number | string) => (typeof v === "string" ? `${v} of the hosts` : `${v} host${v === 1 ? "" : "s"}`);
  const serial = Array.isArray(r.serial)
    ? `a first (canary) batch of ${hosts(r.serial[0])}, then batches of ${hosts(r.serial[1])} (\`serial: [${r.serial.join(", ")}]\`)` : `in batches of ${r.serial} hosts (\`serial\`)`;
  const stop = r.max_fail_percentage !== undefined ? `, stopping when more than ${r.max_fail_percentage}% of a batch failed (\`max_fail_percentage\`)` : "";
  const canary = r.canary
    ? " After the canary batch a prompt (`ansible.builtin.pause`) waits for you: check the canary hosts, then press Enter to go on, or Ctrl+C then A to stop. Ansible waits only when `ansible-playbook` runs in a terminal: without one (a CI job, AWX) it warns \"Not waiting for response to prompt as stdin is not interactive\" and goes straight on, so there run the canary hosts first with `--limit` and the rest after your own check."
    : "";
  const pause = r.pauseSeconds ? ` Between batches the play pauses ${r.pauseSeconds} s (\`ansible.builtin.pause: seconds\`)${r.canary ? ", except after the canary, where the prompt is the wait" : ""}; Ctrl+C then A stops it.` : "";
  return `${serial}${stop}, as chosen in the wizard.${canary}${pause}${r.note ? ` ${r.note}` : ""}`;
}

export function renderFiles(rendered: RenderedTasks, opts: { delivery: Delivery; inventory: string; rollout?: AnsibleRollout }): ExportFile[] {
  const files: ExportFile[] = [];
  const text = (p: string, content: string) => files.push({ path: `${ROOT_DIR}/${p}`, content, mode: 0o644 });
  const titles = rendered.steps.map((s) => s.title);

  text("README.md", readme(rendered, opts.delivery, titles, opts.rollout));
  text(
    "site.yml",
    yamlFile("Exported by nodeprep. Run: ansible-playbook -i inventory.ini site.yml (--check --diff first)", [
      {
        name: `Prepare hosts for a Kubernetes container runtime: ${titles.join(", ")}`,
        hosts: "all",
        become: true,
        // The role's first task reads the little it checks (init, architecture, glibc): no fact gathering.
        gather_facts: false,
        // The wizard's rolling settings (README.md, "Batches").
        ...playKeywords(opts.rollout),
        roles: ["nodeprep"],
        // The canary's prompt and the pause between batches run after the role, at each batch's end.
        ...(batchEndTasks(opts.rollout).length ? { tasks: batchEndTasks(opts.rollout) } : {}),
      },
    ]),
  );
  text("inventory.ini", opts.inventory);
  text(`${ROLE}/defaults/main.yml`, yamlFile("Where downloaded release tarballs are kept on the host (a second run finds them and downloads nothing).", { [ARTIFACT_DIR_VAR]: ARTIFACT_DIR_DEFAULT }));
  text(
    `${ROLE}/vars/main.yml`,
    yamlFile("The release files bundled in files/, with the sha256 nodeprep's release catalogue has for them.", {
      nodeprep_bundled_files: rendered.bundled.map((b) => ({ file: b.artifact.file, sha256: b.artifact.sha256 })),
    }),
  );
  text(
    `${ROLE}/tasks/main.yml`,
    taskFile(
      ["nodeprep's steps, in the wizard's order. Each file holds one step's plan for a host that has none of it yet."],
      [
        ...rendered.preflight.map((task) => ({ task, why: null })),
        ...rendered.steps.map((s) => ({ task: { name: `${s.stepId} | ${s.title}`, "ansible.builtin.import_tasks": `${s.stepId}.yml` } as Task, why: s.summary })),
      ],
    ),
  );
  for (const s of rendered.steps) {
    const header = [`Step ${s.stepId}: ${s.title}: ${s.summary}.`, ...s.notes.map((n) => `note: ${n.replace(/\s*\n\s*/g, " ")}`)];
    text(`${ROLE}/tasks/${s.stepId}.yml`, s.tasks.length ? taskFile(header, s.tasks) : `---\n${header.map((l) => `# ${l}`).join("\n")}\n# Nothing to change for this step.\n[]\n`);
  }
  text(`${ROLE}/handlers/main.yml`, rendered.handlers.length ? taskFile(["Commands that apply changed files; notified by the tasks that change them."], rendered.handlers.map((task) => ({ task, why: null }))) : "---\n[]\n");
  for (const b of rendered.bundled) {
    files.push({ path: `${ROOT_DIR}/${ROLE}/files/${b.artifact.file}`, source: b.source, size: fs.statSync(b.source).size, mode: 0o644 });
  }
  if (rendered.bundled.length) {
    text("SHA256SUMS", rendered.bundled.map((b) => `${b.artifact.sha256}  ${ROLE}/files/${b.artifact.file}`).join("\n") + "\n");
  }
  return files;
}
