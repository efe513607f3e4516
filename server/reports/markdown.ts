import "server-only";
import type { NodeReport, ReportAuditEntry } from "@/lib/contracts/report";

// The node report as Markdown: a file an operator keeps with the host's records or pastes into a
// ticket. Host output is put in fences longer than any run of backticks in it, so nothing it prints
// can end the block or turn into Markdown.

function fence(text: string, info = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}${info}\n${text}${text.endsWith("\n") || text === "" ? "" : "\n"}${f}`;
}

/** Inline code that survives backticks inside. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}${longest ? " " : ""}${text}${longest ? " " : ""}${f}`;
}

/** Table cells: a pipe or a newline would break the row. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

const STATE_WORDS: Record<NodeReport["steps"][number]["state"], string> = {
  done: "done and verified",
  "not-started": "not run yet",
  planned: "checked: changes to make",
  blocked: "blocked: a step before it is needed first",
  failed: "failed",
  drift: "drift: was done, a later check found it changed",
};

function auditLine(a: ReportAuditEntry): string {
  const lines = a.command.split("\n");
  const first = lines[0].length > 100 ? `${lines[0].slice(0, 100)}…` : lines[0];
  const more = lines.length > 1 ? ` (+${lines.length - 1} more lines: a verification script)` : "";
  return `- #${a.seq} at ${a.at}, exit ${a.exitCode ?? "none"}: ${code(first)}${more}`;
}

export function reportMarkdown(r: NodeReport): string {
  const out: string[] = [];
  out.push(`# nodeprep report: ${r.node.name}`, "");
  out.push(`Generated ${r.generatedAt} by nodeprep ${r.nodeprep.version} for ${code(`${r.node.username}@${r.node.address}:${r.node.port}`)}.`, "");
  out.push(
    `**${r.summary.ready ? "Ready for a container runtime" : "Not ready yet"}: ${r.summary.verified} of ${r.summary.total} steps verified.**`,
    "",
  );

  out.push("## Versions", "", "| component | version |", "| --- | --- |");
  const v = r.versions;
  for (const [k, val] of [
    ["operating system", v.os],
    ["kernel", v.kernel],
    ["containerd", v.containerd],
    ["runc", v.runc],
    ["CNI plugins", v.cniPlugins],
    ["kubelet", v.kubelet],
  ] as const) {
    out.push(`| ${k} | ${cell(val ?? "not installed")} |`);
  }
  out.push("");

  out.push("## Facts", "");
  if (r.facts) {
    const f = r.facts;
    out.push(
      "| fact | value |",
      "| --- | --- |",
      `| host name | ${cell(f.hostname)} |`,
      `| architecture | ${cell(`${f.machine} (${f.arch ?? "unsupported"})`)} |`,
      `| C library | ${cell(`${f.libc.kind}${f.libc.version ? ` ${f.libc.version}` : ""}`)} |`,
      `| init | ${f.init} |`,
      `| cgroup | ${f.cgroup} |`,
      `| swap in use | ${f.swapActive ? "yes" : "no"} |`,
      `| gathered at | ${f.gatheredAt} |`,
      "",
    );
  } else {
    out.push("No facts gathered yet.", "");
  }

  out.push("## Steps", "");
  for (const s of r.steps) {
    out.push(`### ${s.order}. ${s.title}: ${STATE_WORDS[s.state]}`, "");
    if (s.lastRun) out.push(`Last run: ${s.lastRun.mode}, ${s.lastRun.status}, at ${s.lastRun.at} (run ${code(s.lastRun.runId)}).`, "");
    if (s.lastChange) {
      out.push(`Last change: at ${s.lastChange.at}${s.lastChange.actor ? ` by ${s.lastChange.actor}` : ""} (run ${code(s.lastChange.runId)}):`, "");
      for (const a of s.lastChange.actions) out.push(`- ${a.what}: ${a.reason}`);
      out.push("");
    }
    if (s.verification) {
      out.push("Verification:", "");
      for (const p of s.verification) {
        out.push(`#### ${p.title}: ${p.status === "ok" ? "pass" : p.status}`, "", `Observed: ${p.observed}. Expected: ${p.expected}.`, "");
        for (const c of p.checks) out.push(`- ${c.name}: ${c.status}, ${c.observed} (expected ${c.expected})`);
        if (p.checks.length) out.push("");
        const raw = p.raw.map((x) => `$ ${x.command}\n${x.output}${x.output && !x.output.endsWith("\n") ? "\n" : ""}${x.exitCode ? `(exit ${x.exitCode})\n` : ""}`).join("");
        out.push(fence(raw, "console"), "");
      }
    }
    if (s.audit.length) {
      out.push("Audit log entries of these commands:", "");
      for (const a of s.audit) out.push(auditLine(a));
      out.push("");
    }
  }
  return out.join("\n");
}
