import { z } from "zod";
import { safeText } from "../validation";
import { AuthMethod, PrivilegeKind, privateKeyText } from "./nodes";

// Importing an Ansible inventory: the browser sends the file, the private key files it names
// and optionally a known_hosts file; the server answers with a preview of what would be added, changed
// and left alone; the import then applies exactly that preview (its fingerprint) or nothing.

/** A file name as the browser reports it (no directories): how `ansible_ssh_private_key_file` finds its upload. */
const fileName = safeText(255).pipe(z.string().min(1, "must not be empty").regex(/^[^/\\]+$/, "a file name without directories"));

export const InventoryFormat = z.enum(["ini", "yaml"]);
export type InventoryFormat = z.infer<typeof InventoryFormat>;

export const InventoryImportBody = z
  .object({
    inventory: z
      .object({
        /** The file's name: .yml/.yaml reads as YAML, anything else by its content. */
        name: fileName,
        content: z.string().min(1, "the file is empty").max(800_000, "at most 800 kB"),
      })
      .strict(),
    format: InventoryFormat.optional(),
    /** The private keys the inventory names, matched by file name. */
    keyFiles: z.array(z.object({ name: fileName, content: privateKeyText }).strict()).max(100, "at most 100 key files").default([]),
    /** An OpenSSH known_hosts file: the imported hosts' keys are pinned from it. */
    knownHosts: z.string().max(500_000, "at most 500 kB").optional(),
  })
  .strict();
export type InventoryImportBody = z.input<typeof InventoryImportBody>;

export const InventoryApplyBody = InventoryImportBody.extend({
  /** The preview's fingerprint: the import applies that preview or nothing. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "the fingerprint of a preview"),
}).strict();
export type InventoryApplyBody = z.input<typeof InventoryApplyBody>;

export const ImportStatus = z.enum(["added", "changed", "unchanged"]);
export type ImportStatus = z.infer<typeof ImportStatus>;

export const ImportHost = z.object({
  name: z.string(),
  status: ImportStatus,
  address: z.string(),
  port: z.number().int(),
  username: z.string(),
  authMethod: AuthMethod,
  privilege: PrivilegeKind,
  /** Groups that hold the host directly. */
  groups: z.array(z.string()),
  jumpHost: z.string().nullable(),
  /** The key pinned from known_hosts (SHA256 fingerprint), when it would be pinned. */
  hostKey: z.string().nullable(),
  /** What would change, one line each ("port: 22 -> 2222"). */
  changes: z.array(z.string()),
  /** What stops the import (nothing is stored while any host has one). */
  problems: z.array(z.string()),
  /** Worth knowing, not a change ("no key or password: the dashboard's own key"). */
  notes: z.array(z.string()),
});
export type ImportHost = z.infer<typeof ImportHost>;

export const ImportGroup = z.object({
  name: z.string(),
  status: ImportStatus,
  hosts: z.number().int(),
  children: z.array(z.string()),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  problems: z.array(z.string()),
});
export type ImportGroup = z.infer<typeof ImportGroup>;

export const ImportPreview = z.object({
  format: InventoryFormat,
  fingerprint: z.string(),
  /** False while any host or group has a problem: the import then stores nothing. */
  ready: z.boolean(),
  summary: z.object({
    added: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    /** Nodes nodeprep has that the file does not name: left alone. */
    notInFile: z.number().int(),
    groupsAdded: z.number().int(),
    groupsChanged: z.number().int(),
  }),
  hosts: z.array(ImportHost),
  groups: z.array(ImportGroup),
  /** Variables nodeprep does not use, with how many hosts carry them. */
  ignoredVars: z.array(z.object({ name: z.string(), hosts: z.number().int() })),
  /** Lines of known_hosts that are not plain host keys (markers, wildcards). */
  knownHostsSkipped: z.number().int(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportResult = z.object({ preview: ImportPreview, created: z.number().int(), updated: z.number().int() });
export type ImportResult = z.infer<typeof ImportResult>;

export const InventoryExportQuery = z.object({ format: InventoryFormat.default("ini") }).strict();
