import { STACK_LAYERS, worstState, type HealthCell, type HealthColumn } from "@/lib/contracts/health";
import { StateIcon, STATE_STYLE } from "./state-icon";

/**
 * The runtime stack drawn bottom-up (host -> kernel modules -> sysctls -> runc -> CNI -> containerd ->
 * cgroup driver), each layer lit by the worst of its probes. Layers come from the catalog's probes, so
 * runtime probes appear here as soon as the catalog has them; a layer without probes yet is shown dim.
 */
export function StackPicture({ columns, cells }: { columns: HealthColumn[]; cells: HealthCell[] }) {
  const byProbe = new Map(cells.map((c) => [c.probeId, c]));
  const layers = STACK_LAYERS.map((layer) => {
    const probes = columns.filter((c) => c.layer === layer.id).map((c) => ({ column: c, cell: byProbe.get(c.probeId) }));
    return { ...layer, probes, state: worstState(probes.flatMap((p) => (p.cell ? [p.cell.state] : []))) };
  }).filter((l) => l.id !== "other" || l.probes.length > 0);
  return (
    <ol aria-label="Runtime stack" className="flex flex-col-reverse gap-1">
      {layers.map((layer) => (
        <li
          key={layer.id}
          aria-label={`${layer.title}: ${layer.state ? STATE_STYLE[layer.state].label : "no probes yet"}`}
          data-layer={layer.id}
          data-state={layer.state ?? "none"}
          style={layer.state ? STATE_STYLE[layer.state].style : undefined}
          className={`flex flex-wrap items-center gap-3 rounded border-2 p-2 ${layer.state ? STATE_STYLE[layer.state].className : "border-dashed border-slate-300 bg-slate-50 text-slate-500"}`}
        >
          <span className="w-56 font-semibold">
            {layer.title}
            <span className="sr-only">: {layer.state ? STATE_STYLE[layer.state].label : "no probes yet"}</span>
          </span>
          {layer.probes.length === 0 ? (
            <span className="text-sm">no probes in the catalog yet</span>
          ) : (
            <ul className="flex flex-wrap gap-2">
              {layer.probes.map(({ column, cell }) => (
                <li key={column.probeId} className="flex items-center gap-1 rounded bg-white/90 px-1.5 py-0.5 text-sm text-slate-900">
                  <StateIcon state={cell?.state ?? "unknown"} size="sm" />
                  {column.title}
                  <span className="sr-only">: {STATE_STYLE[cell?.state ?? "unknown"].label}</span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
