"use client";
import { useState } from "react";
import { TrustedMarkdown } from "../ui/trusted-markdown";

/**
 * The step's explanation (content/<id>.md). Open to read when the page opens without a run; after
 * that it stays as the user left it: starting a run (which puts ?run= in the URL) does not fold it
 * away under their eyes.
 */
export function Explanation({ html, initiallyOpen }: { html: string; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="group max-w-3xl">
      <summary className="cursor-pointer text-sm font-semibold text-slate-800 focus:outline-2 focus:outline-blue-600">
        What this step does, why, and what goes wrong without it
      </summary>
      <TrustedMarkdown html={html} label="Explanation" className="mt-2" />
    </details>
  );
}
