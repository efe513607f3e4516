import type { GroupSummary } from "@/lib/contracts/groups";

/** Each node's direct groups, by node id (one pass over the groups, not one per row). */
export function groupsByNode(groups: readonly GroupSummary[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const g of groups) for (const n of g.nodeIds) (m.get(n) ?? m.set(n, []).get(n)!).push(g.name);
  return m;
}

/** Does a node's name or address contain the text (lowercase, trimmed)? */
export const nodeMatches = (n: { name: string; address: string }, text: string) => !text || n.name.toLowerCase().includes(text) || n.address.toLowerCase().includes(text);

/** Nodes whose name or address contain the text and that are in the group (with its children). */
export function filterNodes<T extends { id: string; name: string; address: string }>(nodes: readonly T[], text: string, group: GroupSummary | null = null): T[] {
  const t = text.trim().toLowerCase();
  const members = group ? new Set(group.allNodeIds) : null;
  return nodes.filter((n) => (!members || members.has(n.id)) && nodeMatches(n, t));
}
