import { InventoryImportBody } from "@/lib/contracts/inventory";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { previewImport } from "@/server/inventory/import";

/** What importing this inventory would add, change and leave alone. Stores nothing. */
export const POST = route({ role: "admin", body: InventoryImportBody }, ({ body }) => json(previewImport(db(), body)));
