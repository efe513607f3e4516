import type { GroupSummary } from "@/lib/contracts/groups";

/** "Group: all nodes | web (12) | ..." for the node list and the health view. */
export function GroupSelect({ groups, value, onChange }: { groups: readonly GroupSummary[]; value: string; onChange: (groupId: string) => void }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      Group
      <select value={value} onChange={(e) => onChange(e.target.value)} className="rounded border border-slate-300 bg-white px-2 py-1">
        <option value="">all nodes</option>
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name} ({g.allNodeIds.length})
          </option>
        ))}
      </select>
    </label>
  );
}
