/** The search box above a list of nodes (node list, health matrix, wizard, group editor). */
export function FilterInput({ value, onChange, label = "Filter nodes" }: { value: string; onChange: (text: string) => void; label?: string }) {
  return (
    <input
      type="search"
      aria-label={label}
      placeholder="filter by name or address"
      className="w-64 rounded border border-slate-300 px-2 py-1 text-sm"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
