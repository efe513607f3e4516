import { z } from "zod";

// A node as the browser sees it: never a secret, only whether one is stored.
export const NodeSummary = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  username: z.string(),
  authMethod: z.enum(["key", "password", "dashboard-key"]),
  privilege: z.enum(["root", "sudo-nopasswd", "sudo-password"]),
  practice: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NodeSummary = z.infer<typeof NodeSummary>;

export const NodeList = z.object({ nodes: z.array(NodeSummary) });
export type NodeList = z.infer<typeof NodeList>;
