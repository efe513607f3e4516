// The one place that puts HTML into the page: the project's own Markdown (content/: explanations,
// chapter 0, scenarios, hints, probe help), rendered on the server with raw HTML in it escaped
// (server/content/markdown.ts). Host output never comes here.

const PROSE =
  "text-sm leading-6 [&_a]:text-sky-800 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_h2]:mt-4 [&_h2]:mb-1 [&_h2]:text-base [&_h2]:font-semibold [&_h2:first-child]:mt-0 [&_h3]:mt-3 [&_h3]:font-semibold [&_li]:my-1 [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-2 [&_pre]:my-2 [&_pre]:overflow-auto [&_pre]:rounded [&_pre]:bg-slate-900 [&_pre]:p-2 [&_pre]:text-slate-100 [&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_table]:my-2 [&_td]:border [&_td]:border-slate-200 [&_td]:p-1 [&_td]:align-top [&_th]:border [&_th]:border-slate-200 [&_th]:p-1 [&_th]:text-left [&_ul]:list-disc [&_ul]:pl-5";
const FRAME = "rounded border border-slate-200 bg-white p-4";

/** `framed`: a card of its own (an explanation); unframed inside another card (a scenario, a hint). */
export function TrustedMarkdown({ html, label, className = "", framed = true }: { html: string; label: string; className?: string; framed?: boolean }) {
  return <article aria-label={label} className={`${PROSE} ${framed ? FRAME : ""} ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
