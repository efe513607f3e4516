import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Marked } from "marked";

// The project's own Markdown (content/: step explanations, chapter 0, scenarios, hints, probe help) as
// HTML for components/ui/trusted-markdown.tsx. Raw HTML in it is shown as text anyway: a trainer's edit
// can never inject markup.
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

export function renderMarkdown(text: string): string {
  return markdown.parse(text, { async: false });
}

/** Markdown values rendered, keys kept (a probe's help by its id). */
export function renderAll(texts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, renderMarkdown(v)]));
}

/** content/<name>.md as HTML, or null when the file is missing. */
export function contentHtml(name: string): string | null {
  if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(name)) throw new Error(`content name ${name} is not a plain path`);
  try {
    return renderMarkdown(fs.readFileSync(path.join(process.cwd(), "content", `${name}.md`), "utf8"));
  } catch {
    return null;
  }
}
