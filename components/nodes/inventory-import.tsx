"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { inventoryApi } from "@/lib/api/inventory";
import type { ImportPreview, InventoryImportBody } from "@/lib/contracts/inventory";
import { queryKeys } from "@/lib/queries";
import { Badge } from "./status";

const STATUS_KIND = { added: "ok", changed: "warn", unchanged: "idle" } as const;

/**
 * Import an Ansible inventory: pick the file (INI or YAML), the private key files it names and
 * optionally a known_hosts file; Preview shows what would be added, changed and left alone; Import
 * applies exactly that preview.
 */
export function InventoryImport() {
  const client = useQueryClient();
  const [inventory, setInventory] = useState<{ name: string; content: string } | null>(null);
  const [keyFiles, setKeyFiles] = useState<{ name: string; content: string }[]>([]);
  const [knownHosts, setKnownHosts] = useState<string | null>(null);
  const body = (): InventoryImportBody | null =>
    inventory ? { inventory, keyFiles, ...(knownHosts ? { knownHosts } : {}) } : null;
  const preview = useMutation({ mutationFn: (b: InventoryImportBody) => inventoryApi.preview(b) });
  const apply = useMutation({
    mutationFn: (p: ImportPreview) => inventoryApi.apply({ ...body()!, fingerprint: p.fingerprint }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.nodes.all });
      void client.invalidateQueries({ queryKey: queryKeys.groups.all });
      void client.invalidateQueries({ queryKey: queryKeys.health.all });
    },
  });
  const readFiles = async (list: FileList | null) => Promise.all([...(list ?? [])].map(async (f) => ({ name: f.name, content: await f.text() })));
  const changedInput = () => {
    preview.reset();
    apply.reset();
  };
  const p = preview.data;
  const nothingToDo = p && p.summary.added === 0 && p.summary.changed === 0 && p.summary.groupsAdded === 0 && p.summary.groupsChanged === 0;
  return (
    <div className="space-y-4">
      <form
        aria-label="Inventory files"
        className="space-y-3 rounded border border-slate-200 bg-white p-4 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          const b = body();
          if (b) preview.mutate(b);
        }}
      >
        <label className="flex flex-col gap-1">
          <span className="font-semibold">Inventory (INI or YAML)</span>
          <input
            type="file"
            required
            onChange={async (e) => {
              const [f] = await readFiles(e.target.files);
              setInventory(f ?? null);
              changedInput();
            }}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-semibold">Private key files it names (ansible_ssh_private_key_file), matched by file name</span>
          <input
            type="file"
            multiple
            onChange={async (e) => {
              setKeyFiles(await readFiles(e.target.files));
              changedInput();
            }}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-semibold">known_hosts (optional): the hosts&apos; keys are pinned from it</span>
          <input
            type="file"
            onChange={async (e) => {
              const [f] = await readFiles(e.target.files);
              setKnownHosts(f?.content ?? null);
              changedInput();
            }}
          />
        </label>
        <p className="text-slate-600">Vault-encrypted values are refused: nodeprep never decrypts them. Nothing is stored until you press Import.</p>
        <button type="submit" disabled={!inventory || preview.isPending} className="rounded bg-slate-900 px-4 py-2 font-semibold text-white hover:bg-slate-700 disabled:opacity-50">
          {preview.isPending ? "Reading…" : "Preview"}
        </button>
        {preview.error && (
          <p role="alert" className="text-red-800">
            {preview.error.message}
          </p>
        )}
      </form>

      {p && (
        <section aria-labelledby="preview-heading" className="space-y-3">
          <h2 id="preview-heading" className="text-lg font-semibold">
            Preview
          </h2>
          <p role="status" aria-label="Import summary" className="rounded border border-slate-200 bg-white p-3 text-sm">
            {p.summary.added} to add, {p.summary.changed} to change, {p.summary.unchanged} unchanged; {p.summary.notInFile} node
            {p.summary.notInFile === 1 ? "" : "s"} not in the file left alone. Groups: {p.summary.groupsAdded} to add, {p.summary.groupsChanged} to change.
            {p.format === "yaml" ? " (YAML)" : " (INI)"}
          </p>
          {!p.ready && (
            <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
              Nothing can be imported until the problems below are fixed in the file (or the missing key files are added).
            </p>
          )}
          <HostsTable preview={p} />
          {p.groups.length > 0 && <GroupsTable preview={p} />}
          {p.ignoredVars.length > 0 && (
            <p className="text-xs text-slate-600">
              Variables nodeprep does not use: {p.ignoredVars.map((v) => `${v.name} (${v.hosts})`).join(", ")}.
            </p>
          )}
          <div className="flex items-center gap-3">
            <button
              type="button"
              disabled={!p.ready || !!nothingToDo || apply.isPending || apply.isSuccess}
              onClick={() => apply.mutate(p)}
              className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50"
            >
              Import
            </button>
            {nothingToDo && <span className="text-sm text-slate-700">Everything in the file is already in nodeprep: nothing to import.</span>}
            {apply.data && (
              <span role="status" aria-label="Import result" className="text-sm">
                Imported: {apply.data.created} added, {apply.data.updated} changed. <Link className="underline" href="/nodes">Back to the nodes</Link>
              </span>
            )}
            {apply.error && (
              <span role="alert" className="text-sm text-red-800">
                {apply.error.message}
              </span>
            )}
          </div>
        </section>
      )}
    </div>
  );
}

function HostsTable({ preview }: { preview: ImportPreview }) {
  return (
    <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Hosts in the file</caption>
      <thead className="bg-slate-100 text-left">
        <tr>
          <th scope="col" className="p-2">Host</th>
          <th scope="col" className="p-2">Address</th>
          <th scope="col" className="p-2">Access</th>
          <th scope="col" className="p-2">Groups</th>
          <th scope="col" className="p-2">What happens</th>
        </tr>
      </thead>
      <tbody>
        {preview.hosts.map((h) => (
          <tr key={h.name} className="border-t border-slate-200 align-top" data-host={h.name} data-status={h.status}>
            <th scope="row" className="p-2 text-left font-mono font-medium">
              {h.name} <Badge kind={h.problems.length ? "bad" : STATUS_KIND[h.status]}>{h.problems.length ? "problem" : h.status}</Badge>
            </th>
            <td className="p-2 font-mono">
              {h.address.includes(":") ? `[${h.address}]` : h.address}:{h.port}
              {h.jumpHost && <span className="block font-sans text-xs text-slate-600">via {h.jumpHost}</span>}
            </td>
            <td className="p-2">
              <span className="font-mono">{h.username}</span>
              <span className="block text-xs text-slate-600">
                {h.authMethod}, {h.privilege}
                {h.hostKey && `, key ${h.hostKey}`}
              </span>
            </td>
            <td className="p-2 font-mono">{h.groups.join(", ")}</td>
            <td className="p-2">
              <ul className="space-y-0.5">
                {h.problems.map((x) => (
                  <li key={x} className="text-red-800">
                    {x}
                  </li>
                ))}
                {h.changes.map((x) => (
                  <li key={x}>{x}</li>
                ))}
                {h.notes.map((x) => (
                  <li key={x} className="text-xs text-slate-600">
                    {x}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GroupsTable({ preview }: { preview: ImportPreview }) {
  return (
    <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Groups in the file</caption>
      <thead className="bg-slate-100 text-left">
        <tr>
          <th scope="col" className="p-2">Group</th>
          <th scope="col" className="p-2">Hosts</th>
          <th scope="col" className="p-2">Children</th>
          <th scope="col" className="p-2">What happens</th>
        </tr>
      </thead>
      <tbody>
        {preview.groups.map((g) => (
          <tr key={g.name} className="border-t border-slate-200" data-group={g.name} data-status={g.status}>
            <th scope="row" className="p-2 text-left font-mono font-medium">
              {g.name} <Badge kind={g.problems.length ? "bad" : STATUS_KIND[g.status]}>{g.problems.length ? "problem" : g.status}</Badge>
            </th>
            <td className="p-2">{g.hosts}</td>
            <td className="p-2 font-mono">{g.children.join(", ") || "none"}</td>
            <td className="p-2">
              {[...g.problems, ...(g.added.length ? [`+ ${g.added.join(", ")}`] : []), ...(g.removed.length ? [`- ${g.removed.join(", ")}`] : [])].join("; ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
