"use client";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { artifactsApi } from "@/lib/api/artifacts";
import type { ReleaseView } from "@/lib/contracts/artifacts";
import type { RuntimeVersions } from "@/lib/contracts/runs";
import { queryKeys } from "@/lib/queries";

/** The versions of one component in the release catalogue, its default first (as the server sorts them). */
export function versionChoices(releases: readonly ReleaseView[], component: keyof RuntimeVersions) {
  const mine = releases.filter((r) => r.component === component && r.variant === "default");
  const seen = new Map<string, { version: string; isDefault: boolean; local: boolean }>();
  for (const r of mine) {
    const had = seen.get(r.version);
    seen.set(r.version, { version: r.version, isDefault: (had?.isDefault ?? false) || r.isDefault, local: (had?.local ?? false) || r.source === "local" });
  }
  return [...seen.values()].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/** Which release of the step's component a run installs; empty means the catalogue's default. */
export function VersionPicker({
  component,
  value,
  onChange,
  hint = `A host that already has ${component} keeps it: nodeprep installs, it does not upgrade.`,
}: {
  component: keyof RuntimeVersions;
  value: string | null;
  onChange: (v: string | null) => void;
  /** The line after the picker (the export says what its playbook does instead). */
  hint?: string;
}) {
  const id = useId();
  const catalogue = useQuery({ queryKey: queryKeys.artifacts.catalogue(), queryFn: artifactsApi.catalogue });
  const choices = versionChoices(catalogue.data?.releases ?? [], component);
  const fallback = choices.find((c) => c.isDefault);
  if (catalogue.isPending) return <p className="text-sm text-slate-600">Loading the release catalogue…</p>;
  if (catalogue.isError) return <p className="text-sm text-red-700">The release catalogue could not be read: {catalogue.error.message}</p>;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor={id} className="font-medium">
        {component} version
      </label>
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)} className="rounded border border-slate-300 px-2 py-1 font-mono">
        <option value="">{fallback ? `${fallback.version}${fallback.local ? " (local)" : ""} (default)` : "default"}</option>
        {choices
          .filter((c) => !c.isDefault)
          .map((c) => (
            <option key={c.version} value={c.version}>
              {c.version}
              {c.local ? " (local)" : ""}
            </option>
          ))}
      </select>
      <span className="text-xs text-slate-600">{hint}</span>
    </div>
  );
}
