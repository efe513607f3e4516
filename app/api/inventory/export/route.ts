import { InventoryExportQuery } from "@/lib/contracts/inventory";
import { db } from "@/server/db";
import { route } from "@/server/http/route";
import { exportInventory } from "@/server/inventory/export";

export const dynamic = "force-dynamic";

/** nodeprep's nodes and groups as an Ansible inventory file (INI or YAML), without secrets. */
export const GET = route({ role: "viewer", query: InventoryExportQuery }, ({ query }) => {
  const text = exportInventory(db(), query.format);
  const name = query.format === "yaml" ? "nodeprep-inventory.yml" : "nodeprep-inventory.ini";
  return new Response(text, {
    headers: { "content-type": `${query.format === "yaml" ? "application/yaml" : "text/plain"}; charset=utf-8`, "content-disposition": `attachment; filename="${name}"` },
  });
});
