import { InventoryApplyBody } from "@/lib/contracts/inventory";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { applyImport } from "@/server/inventory/import";

/** Apply the previewed import (named by its fingerprint) in one transaction, or nothing (409 when stale). */
export const POST = route({ role: "admin", body: InventoryApplyBody }, ({ body, user }) => json(applyImport(db(), body, user.name)));
