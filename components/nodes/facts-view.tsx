import type { HostFacts } from "@/lib/contracts/facts";

const component = (c: { present: boolean; version: string | null; path: string | null }) =>
  c.present ? `${c.version ?? "unknown version"} (${c.path})` : "not installed";

const cgroupText = (c: HostFacts["cgroup"]) => (c === "v2" ? "cgroup v2" : c === "v1" ? "cgroup v1" : "cgroup unknown");

/** The host's shape in one line, at the top of the node page: what decides which build runs and how. */
export function ShapeSummary({ facts }: { facts: HostFacts | null }) {
  if (!facts) return null;
  const parts: [string, string][] = [
    ["Release", facts.os.prettyName ?? `${facts.os.id} ${facts.os.versionId ?? ""}`.trim()],
    ["Kernel", facts.kernel],
    ["C library", `${facts.libc.kind}${facts.libc.version ? ` ${facts.libc.version}` : ""}`],
    ["Architecture", facts.arch ?? facts.machine],
    ["cgroup", cgroupText(facts.cgroup)],
  ];
  return (
    <dl aria-label="Host shape" className="flex flex-wrap gap-x-4 gap-y-1 rounded border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
      {parts.map(([k, v]) => (
        <div key={k} className="flex gap-1">
          <dt className="text-slate-600">{k}</dt>
          <dd className="font-mono font-medium">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function FactsView({ facts }: { facts: HostFacts | null }) {
  return (
    <section aria-labelledby="facts-heading" className="space-y-2 rounded border border-slate-200 bg-white p-4">
      <h2 id="facts-heading" className="font-semibold">
        Host facts
      </h2>
      {!facts ? (
        <p className="text-sm text-slate-700">No facts yet: a connection test, a wizard run or a health scan gathers them.</p>
      ) : (
        <>
          <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
            {(
              [
                ["Host name", facts.hostname],
                ["Operating system", `${facts.os.prettyName ?? facts.os.id}${facts.os.idLike.length ? ` (like ${facts.os.idLike.join(", ")})` : ""}`],
                ["Kernel", facts.kernel],
                ["Architecture", `${facts.machine} → ${facts.arch ?? "unsupported by the release artifacts"}`],
                ["C library", `${facts.libc.kind}${facts.libc.version ? ` ${facts.libc.version}` : ""}`],
                ["Init system", facts.init],
                ["cgroup", facts.cgroup === "v2" ? "v2 (unified)" : facts.cgroup === "v1" ? "v1 or hybrid (the systemd driver still applies)" : "unknown"],
                ["Swap", facts.swapActive ? "in use (the kubelet refuses to start by default)" : "off"],
                ["Machine ID", facts.machineId ?? "none"],
                ["containerd", component(facts.containerd)],
                ["runc", component(facts.runc)],
                ["CNI plugins", facts.cniPlugins.present ? `${facts.cniPlugins.plugins.length} in ${facts.cniPlugins.dir}` : "not installed"],
                ["kubelet", component(facts.kubelet)],
              ] as const
            ).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="font-medium text-slate-700">{k}</dt>
                <dd className="font-mono text-xs leading-5 sm:text-sm">{v}</dd>
              </div>
            ))}
          </dl>
          <p className="text-xs text-slate-600">Gathered {new Date(facts.gatheredAt).toLocaleString()} in one SSH round trip (a connection test, a wizard run or a health scan).</p>
        </>
      )}
    </section>
  );
}
