import "server-only";
import { Marked } from "marked";

// The project's Markdown (content/) as HTML for components/ui/trusted-markdown.tsx. It is our own
// prose, but raw HTML in it is shown as text anyway: a trainer's edit can never inject markup.
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }) => escapeHtml(text) } });

export function renderMarkdown(text: string): string {
  return markdown.parse(text, { async: false });
}
