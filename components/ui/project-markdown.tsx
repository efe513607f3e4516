// The project's own Markdown (content/), rendered to HTML on the server (server/content/markdown.ts,
// which shows raw HTML in it as text): explanations, chapter 0, scenarios and hints. The one other
// place besides the wizard allowed to set HTML; host output never comes through here.

const PROSE =
  "text-sm leading-6 [&_a]:text-sky-800 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_h2]:mt-5 [&_h2]:mb-1 [&_h2]:text-base [&_h2]:font-semibold [&_h2:first-child]:mt-0 [&_li]:my-1 [&_p]:my-2 [&_pre]:my-2 [&_pre]:overflow-auto [&_pre]:rounded [&_pre]:bg-slate-900 [&_pre]:p-2 [&_pre]:text-slate-100 [&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_table]:my-2 [&_td]:border [&_td]:border-slate-200 [&_td]:p-1 [&_td]:align-top [&_th]:border [&_th]:border-slate-200 [&_th]:p-1 [&_th]:text-left [&_ul]:list-disc [&_ul]:pl-5";

export function ProjectMarkdown({ html, label, className = "" }: { html: string; label: string; className?: string }) {
  return <article aria-label={label} className={`${PROSE} ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
