"use client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { exportsApi } from "@/lib/api/exports";
import type { ArtifactArch, Delivery } from "@/lib/contracts/artifacts";
import type { Rolling, RuntimeVersions } from "@/lib/contracts/runs";
import { toggled } from "../ui/toggled";
import type { WizardStep } from "./wizard";
import { VersionPicker } from "./version-picker";

type DeliveryChoice = "cache" | "upstream" | "mirror";

/**
 * "Export as an Ansible playbook": the steps ticked here, with the versions and delivery chosen, as a
 * playbook + role (.tar.gz) generated from the same step definitions the wizard runs. The selected
 * nodes become its inventory.ini.
 */
export function AnsibleExport({
  steps,
  currentStep,
  version,
  nodeIds,
  rolling,
}: {
  steps: WizardStep[];
  currentStep: WizardStep;
  version: string | null;
  nodeIds: string[];
  /** The Run panel's rolling settings: the play's serial and max_fail_percentage. */
  rolling: Rolling | null;
}) {
  const id = useId();
  const [chosen, setChosen] = useState<Set<string>>(new Set(steps.map((s) => s.id)));
  const [versions, setVersions] = useState<RuntimeVersions>(currentStep.installs && version ? { [currentStep.installs]: version } : {});
  const [delivery, setDelivery] = useState<DeliveryChoice>("cache");
  const [mirror, setMirror] = useState("");
  const [arch, setArch] = useState<ArtifactArch>("amd64");
  const download = useMutation({
    mutationFn: async () => {
      const d: Delivery = delivery === "mirror" ? { kind: "mirror", url: mirror } : { kind: delivery };
      const { blob, name } = await exportsApi.ansible({ stepIds: steps.filter((s) => chosen.has(s.id)).map((s) => s.id), versions, delivery: d, arch, nodeIds, ...(rolling ? { rolling } : {}) });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return { name, bytes: blob.size };
    },
  });
  const components = [...new Set(steps.filter((s) => chosen.has(s.id) && s.installs).map((s) => s.installs!))];
  return (
    <details className="max-w-3xl rounded border border-slate-200 bg-white p-3">
      <summary className="cursor-pointer text-sm font-semibold text-slate-800 focus:outline-2 focus:outline-blue-600">Export as an Ansible playbook</summary>
      <form
        aria-label="Export as an Ansible playbook"
        className="mt-3 space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          download.mutate();
        }}
      >
        <p className="text-slate-700">
          The same plan as a playbook and role (ansible.builtin modules only), for when the fleet outgrows one dashboard. The {nodeIds.length} selected node
          {nodeIds.length === 1 ? "" : "s"} become its inventory.{" "}
          {rolling
            ? `The play runs in batches of ${rolling.batch} (serial) and stops after ${rolling.stopAfter ?? 1} failure${rolling.stopAfter === 1 || rolling.stopAfter === undefined ? "" : "s"} (max_fail_percentage)${rolling.canary ? ", prompts for Continue after the canary batch" : ""}${rolling.pauseSeconds ? `, pauses ${rolling.pauseSeconds} s between batches` : ""}, as set for Apply above.`
            : "The play runs on every host at once (Rolling is off above)."}
        </p>
        <fieldset>
          <legend className="font-semibold">Steps</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {steps.map((s) => (
              <label key={s.id} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  className="size-4"
                  checked={chosen.has(s.id)}
                  onChange={(e) => setChosen(toggled(chosen, s.id, e.target.checked))}
                />
                {s.order}. {s.title}
              </label>
            ))}
          </div>
        </fieldset>
        {components.map((c) => (
          <VersionPicker
            key={c}
            component={c}
            value={versions[c] ?? null}
            onChange={(v) => setVersions({ ...versions, [c]: v ?? undefined })}
            hint="The playbook installs this release; exported again with another version, it extracts that one over the old."
          />
        ))}
        <fieldset>
          <legend className="font-semibold">Release files</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-delivery`} checked={delivery === "cache"} onChange={() => setDelivery("cache")} />
            bundled in the export (copied to the hosts; they need no internet)
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-delivery`} checked={delivery === "upstream"} onChange={() => setDelivery("upstream")} />
            the hosts download them from the projects&apos; release URLs
          </label>
          <label className="flex flex-wrap items-center gap-2">
            <input type="radio" name={`${id}-delivery`} checked={delivery === "mirror"} onChange={() => setDelivery("mirror")} />
            the hosts download them from a mirror
            {delivery === "mirror" && (
              <input
                aria-label="Mirror URL"
                type="url"
                required
                placeholder="https://mirror.example/k8s/{file}"
                value={mirror}
                onChange={(e) => setMirror(e.target.value)}
                className="w-80 rounded border border-slate-300 px-2 py-1 font-mono"
              />
            )}
          </label>
        </fieldset>
        <label className="flex items-center gap-2">
          <span className="font-semibold">Architecture</span>
          <select value={arch} onChange={(e) => setArch(e.target.value as ArtifactArch)} className="rounded border border-slate-300 px-2 py-1">
            <option value="amd64">amd64 (x86_64)</option>
            <option value="arm64">arm64 (aarch64)</option>
          </select>
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="submit"
            disabled={chosen.size === 0 || download.isPending}
            className="rounded bg-slate-900 px-4 py-2 font-semibold text-white hover:bg-slate-700 disabled:opacity-50"
          >
            {download.isPending ? "Preparing…" : "Download playbook"}
          </button>
          {download.data && (
            <span role="status">
              Downloaded {download.data.name} ({Math.round(download.data.bytes / 1024)} KiB).
            </span>
          )}
          {download.error && (
            <span role="alert" className="text-red-800">
              Export refused: {download.error.message}
            </span>
          )}
        </div>
      </form>
    </details>
  );
}
