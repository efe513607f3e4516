import { z } from "zod";
import { ArtifactArch, Delivery } from "./artifacts";
import { StepId } from "./catalog";
import { Rolling, RuntimeVersions } from "./runs";

// "Export as an Ansible playbook" from the wizard: the steps, release versions and delivery
// chosen there, and the selected nodes as the export's inventory.

export const AnsibleExportBody = z
  .object({
    stepIds: z.array(StepId).min(1, "pick at least one step").max(50),
    versions: RuntimeVersions.optional(),
    /** cache: the release files are bundled in the export; upstream or mirror: the hosts download them. */
    delivery: Delivery.default({ kind: "cache" }),
    arch: ArtifactArch.default("amd64"),
    /** The nodes for the export's inventory.ini (connection facts only). */
    nodeIds: z.array(z.uuid("must be a node id")).max(5000).optional(),
    /** The wizard's rolling settings: the play's serial and max_fail_percentage. */
    rolling: Rolling.optional(),
  })
  .strict();
export type AnsibleExportBody = z.input<typeof AnsibleExportBody>;
