import type { GroupSummary } from "@/lib/contracts/groups";
import type { HealthNodeRow } from "@/lib/contracts/health";
import { nodeMatches } from "../nodes/filter";

// The health matrix filtered (a group, a state, a name) and, optionally, in one section per group.
// Pure, so the page and the render benchmark (bench/fleet) use the same code.

export const STATUS_FILTERS = [
  { id: "all", label: "all nodes" },
  { id: "not-ready", label: "not ready" },
  { id: "unreachable", label: "unreachable" },
  { id: "drift", label: "with drift" },
  { id: "never", label: "never checked" },
] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number]["id"];

export interface MatrixFilter {
  groupId: string | null;
  status: StatusFilter;
  text: string;
  byGroup: boolean;
}

export interface MatrixSection {
  /** Index of the section's first row in `rows`. */
  start: number;
  count: number;
  title: string;
  ready: number;
}

export interface ArrangedMatrix {
  rows: HealthNodeRow[];
  /** Stable keys, one per row (a node in two groups appears in both sections). */
  keys: string[];
  sections: MatrixSection[] | null;
}

const matches = (row: HealthNodeRow, status: StatusFilter, text: string) => {
  if (!nodeMatches(row, text)) return false;
  switch (status) {
    case "all":
      return true;
    case "not-ready":
      return !row.ready;
    case "unreachable":
      return row.lastCheck?.reach === "unreachable";
    case "drift":
      return row.openDrift > 0;
    case "never":
      return row.lastCheck === null;
  }
};

export function arrangeMatrix(rows: readonly HealthNodeRow[], groups: readonly GroupSummary[], f: MatrixFilter): ArrangedMatrix {
  const text = f.text.trim().toLowerCase();
  const only = f.groupId ? groups.find((g) => g.id === f.groupId) : undefined;
  const inGroup = only ? new Set(only.allNodeIds) : null;
  const kept = rows.filter((r) => (!inGroup || inGroup.has(r.nodeId)) && matches(r, f.status, text));
  if (!f.byGroup) return { rows: kept, keys: kept.map((r) => r.nodeId), sections: null };
  // One section per group that has shown nodes (a group's children's nodes count as its own), then
  // the nodes in no group. Within a section the matrix's own order.
  const out: HealthNodeRow[] = [];
  const keys: string[] = [];
  const sections: MatrixSection[] = [];
  const grouped = new Set<string>();
  const candidates = only ? [only, ...groups.filter((g) => only.childIds.includes(g.id))] : groups;
  for (const g of candidates) {
    const members = new Set(g.allNodeIds);
    const mine = kept.filter((r) => members.has(r.nodeId));
    if (mine.length === 0) continue;
    sections.push({ start: out.length, count: mine.length, title: `group ${g.name}`, ready: mine.filter((r) => r.ready).length });
    for (const r of mine) {
      out.push(r);
      keys.push(`${g.id}:${r.nodeId}`);
      grouped.add(r.nodeId);
    }
  }
  const rest = kept.filter((r) => !grouped.has(r.nodeId));
  if (rest.length) {
    sections.push({ start: out.length, count: rest.length, title: "in no group", ready: rest.filter((r) => r.ready).length });
    for (const r of rest) {
      out.push(r);
      keys.push(`none:${r.nodeId}`);
    }
  }
  return { rows: out, keys, sections };
}
