import type { Metadata } from "next";
import { InventoryImport } from "@/components/nodes/inventory-import";
import { requirePageRole } from "@/server/auth/current";

export const metadata: Metadata = { title: "Import an inventory · nodeprep" };
export const dynamic = "force-dynamic";

export default async function ImportPage() {
  const session = await requirePageRole("admin", "/nodes/import");
  return (
    <div className="max-w-5xl space-y-4">
      <h1 className="text-2xl font-bold">Import an Ansible inventory</h1>
      <p className="text-slate-700">
        Hosts, groups and children from an INI or YAML inventory, read the way ansible-inventory reads them: ansible_host, ansible_port, ansible_user, key files,
        passwords and ProxyJump. A second import of the same file changes nothing.
      </p>
      {session ? <InventoryImport /> : <p role="alert">Only admins import inventories.</p>}
    </div>
  );
}
