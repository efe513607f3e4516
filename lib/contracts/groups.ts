import { z } from "zod";

// Groups of nodes: from an Ansible inventory, or made in the UI. A group holds nodes and
// other groups (Ansible's `children`); selecting a group selects every node in it and in its children.

/**
 * Ansible's rule for group names (letters, digits and '_', not starting with a digit; '-' is accepted
 * because real inventories use it, with Ansible's own warning), so an exported inventory reads back
 * the same. `all` and `ungrouped` are Ansible's implicit groups.
 */
export const groupName = z
  .string()
  .min(1, "must not be empty")
  .max(64, "at most 64 characters")
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "may contain only letters, digits, '_' and '-', starting with a letter or '_'")
  .refine((s) => s !== "all" && s !== "ungrouped", "all and ungrouped are Ansible's implicit groups");

export const GroupSummary = z.object({
  id: z.string(),
  name: z.string(),
  /** Nodes put in this group directly. */
  nodeIds: z.array(z.string()),
  /** Groups inside this one (Ansible's children). */
  childIds: z.array(z.string()),
  /** Every node in the group, directly or through its children: what selecting the group selects. */
  allNodeIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type GroupSummary = z.infer<typeof GroupSummary>;

export const GroupList = z.object({ groups: z.array(GroupSummary) });
export type GroupList = z.infer<typeof GroupList>;

const ids = (what: string) => z.array(z.uuid(`must be ${what} id`)).max(5000, "at most 5000");

export const GroupInput = z
  .object({
    name: groupName,
    nodeIds: ids("a node").default([]),
    childIds: ids("a group").default([]),
  })
  .strict();
export type GroupInput = z.input<typeof GroupInput>;

export const GroupIdParams = z.object({ id: z.uuid("must be a group id") });
