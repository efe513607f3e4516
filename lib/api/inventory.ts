import { ImportPreview, ImportResult, type InventoryApplyBody, type InventoryImportBody } from "../contracts/inventory";
import { fetchJson } from "../fetcher";

export const inventoryApi = {
  preview: (body: InventoryImportBody) => fetchJson(ImportPreview, "/api/inventory/preview", { method: "POST", body: JSON.stringify(body) }),
  apply: (body: InventoryApplyBody) => fetchJson(ImportResult, "/api/inventory/import", { method: "POST", body: JSON.stringify(body) }),
  exportUrl: (format: "ini" | "yaml") => `/api/inventory/export?format=${format}`,
};
