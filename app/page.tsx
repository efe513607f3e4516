import Link from "next/link";
import { steps } from "@/server/catalog";

export default function HomePage() {
  return (
    <div className="space-y-8">
      <section className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Make Linux hosts ready for a container runtime</h1>
        <p className="max-w-3xl text-slate-700">
          nodeprep walks you through the Kubernetes &ldquo;Container Runtimes&rdquo; preparation on your own hosts, over
          SSH. Every step explains what it does and why, shows the exact commands and file changes before anything
          runs, streams the output live, and proves the result with the host&apos;s own verification output.
        </p>
        <div className="flex gap-3">
          <Link href="/nodes" className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">
            Add or pick hosts
          </Link>
          <Link href="/wizard" className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-100">
            Open the wizard
          </Link>
        </div>
      </section>
      <section aria-labelledby="steps-heading" className="space-y-2">
        <h2 id="steps-heading" className="text-lg font-semibold">
          The steps
        </h2>
        <ol className="grid gap-2 sm:grid-cols-2">
          {/* The wizard's own catalog: the same steps, titles and order as the wizard. */}
          {steps.map((s, i) => (
            <li key={s.id} className="rounded border border-slate-200 bg-white p-3">
              <span className="font-mono text-xs text-slate-500">{i + 1}.</span>{" "}
              <Link href={`/wizard/${s.id}`} className="font-medium underline-offset-2 hover:underline">
                {s.title}
              </Link>
              <p className="text-sm text-slate-600">{s.summary}</p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
