import type { NodeSummary } from "@/lib/contracts/nodes";

const tone = {
  ok: "bg-emerald-100 text-emerald-900",
  warn: "bg-amber-100 text-amber-900",
  bad: "bg-red-100 text-red-900",
  idle: "bg-slate-100 text-slate-700",
};

export function Badge({ kind, children }: { kind: keyof typeof tone; children: React.ReactNode }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${tone[kind]}`}>{children}</span>;
}

export function HostKeyBadge({ node }: { node: NodeSummary }) {
  switch (node.hostKeyStatus) {
    case "trusted":
      return <Badge kind="ok">key trusted{node.hostKey?.source === "practice-image" ? " (lab)" : ""}</Badge>;
    case "untrusted":
      return <Badge kind="warn">key not trusted yet</Badge>;
    case "changed":
      return <Badge kind="bad">HOST KEY CHANGED</Badge>;
    default:
      return <Badge kind="idle">never contacted</Badge>;
  }
}

export function ContactBadge({ node }: { node: NodeSummary }) {
  // The last contact of any kind: a connection test, a wizard run or a health scan.
  if (!node.lastContact) return <Badge kind="idle">not contacted yet</Badge>;
  return node.lastContact.ok ? <Badge kind="ok">reachable</Badge> : <Badge kind="bad">{node.lastContact.kind ?? "failed"}</Badge>;
}
