import type { ProbeResult } from "@/lib/contracts/catalog";
import type { NodeView } from "./run-view";
import { RawOutputView } from "./raw-output-view";
import { StatusBadge } from "./status-badge";

export function ProbeCard({ result }: { result: ProbeResult }) {
  return (
    <li className="space-y-1 rounded border border-slate-200 bg-white p-2" aria-label={`${result.title}: ${result.status}`}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={result.status} />
        <span className="text-sm font-medium">{result.title}</span>
        <span className="text-xs text-slate-600">{result.observed}</span>
      </div>
      {result.checks.length > 0 && (
        <div className="overflow-x-auto">
        <table className="text-xs">
          <caption className="sr-only">{result.title}: one verdict per value</caption>
          <thead>
            <tr className="text-left text-slate-600">
              <th scope="col" className="pr-3 font-medium">value</th>
              <th scope="col" className="pr-3 font-medium">observed</th>
              <th scope="col" className="pr-3 font-medium">expected</th>
              <th scope="col" className="font-medium">verdict</th>
            </tr>
          </thead>
          <tbody>
            {result.checks.map((c) => (
              <tr key={c.name}>
                <td className="pr-3 font-mono">{c.name}</td>
                <td className="pr-3 font-mono">{c.observed}</td>
                <td className="pr-3 font-mono">{c.expected}</td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {result.status !== "ok" && result.detail && <p className="text-xs text-slate-700">{result.detail}</p>}
      <RawOutputView result={result} />
    </li>
  );
}

/** Each verification probe's raw output and verdict, per node. */
export function VerificationPanel({ nodes, stepId }: { nodes: NodeView[]; stepId: string }) {
  const withResults = nodes.filter((n) => (n.steps[stepId]?.verify.length ?? 0) > 0 || (n.steps[stepId]?.requires.some((r) => r.status !== "ok") ?? false));
  if (withResults.length === 0) return <p className="text-sm text-slate-600">Verification appears here after Check or Apply.</p>;
  return (
    <div className="space-y-3">
      {withResults.map((n) => {
        const s = n.steps[stepId];
        const unmet = s.requires.filter((r) => r.status !== "ok");
        return (
          <section key={n.nodeId} aria-label={`Verification on ${n.name}`} className="space-y-2">
            <h4 className="font-mono text-sm font-semibold">{n.name}</h4>
            {unmet.length > 0 && (
              <ul className="space-y-2" aria-label="Requirements not met">
                {unmet.map((r) => (
                  <ProbeCard key={r.probeId} result={r} />
                ))}
              </ul>
            )}
            <ul className="space-y-2">
              {s.verify.map((r) => (
                <ProbeCard key={r.probeId} result={r} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
