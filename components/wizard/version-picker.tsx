"use client";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { artifactsApi } from "@/lib/api/artifacts";
import type { ReleaseView } from "@/lib/contracts/artifacts";
import type { RuntimeVersions } from "@/lib/contracts/runs";
import { queryKeys } from "@/lib/queries";

/** The versions of one component in the release list, its default first (as the server sorts them). */
export function versionChoices(releases: readonly ReleaseView[], component: keyof RuntimeVersions) {
  const mine = releases.filter((r) => r.component === component && r.variant === "default");
  const seen = new Map<string, { version: string; isDefault: boolean; local: boolean }>();
  for (const r of mine) {
    const had = seen.get(r.version);
    seen.set(r.version, { version: r.version, isDefault: (had?.isDefault ?? false) || r.isDefault, local: (had?.local ?? false) || r.source === "local" });
  }
  return [...seen.values()].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/** Which release of the step's component a run installs; empty means the release list's default. */
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
  const releases = useQuery({ queryKey: queryKeys.artifacts.releases(), queryFn: artifactsApi.releases });
  const choices = versionChoices(releases.data?.releases ?? [], component);
  const fallback = choices.find((c) => c.isDefault);
  if (releases.isPending) return <p className="text-sm text-slate-600">Loading the release list…</p>;
  if (releases.isError) return <p className="text-sm text-red-700">The release list could not be read: {releases.error.message}</p>;
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
