import "server-only";
import { Marked } from "marked";

// The project's own Markdown (content/: step explanations, chapter 0, scenarios, hints) rendered on
// the server. Raw HTML in it is shown as text anyway: a trainer's edit can never inject markup.
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const marked = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}
