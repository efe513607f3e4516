import { z } from "zod";
import { hasNoControl, hostAddress, nodeName, port, secretText, unixUser } from "../validation";
import { HostFacts } from "./facts";

// Nodes as the browser sees them: never a secret, only whether one is stored.

export const AuthMethod = z.enum(["key", "password", "dashboard-key"]);
export type AuthMethod = z.infer<typeof AuthMethod>;
export const PrivilegeKind = z.enum(["root", "sudo-nopasswd", "sudo-password"]);
export type PrivilegeKind = z.infer<typeof PrivilegeKind>;

/** A host key as `ssh-keygen -lf` shows it. */
export const HostKeyView = z.object({
  type: z.string(),
  fingerprint: z.string(),
  /** The whole `ssh-keygen -lf` line, e.g. "256 SHA256:... no comment (ED25519)". */
  keygen: z.string(),
});
export type HostKeyView = z.infer<typeof HostKeyView>;

export const TrustedHostKey = HostKeyView.extend({
  /** practice-image: pinned by the lab, which made the practice node's own key when it started it (the name is historical: it was the image's key). */
  source: z.enum(["operator", "practice-image"]),
  trustedAt: z.string().nullable(),
  trustedBy: z.string().nullable(),
});
export type TrustedHostKey = z.infer<typeof TrustedHostKey>;

/**
 * never-contacted: no key seen yet (Test connection shows it); untrusted: a key was offered and waits
 * for "Trust this key"; trusted; changed: the host offers another key than the pinned one.
 */
export const HostKeyStatus = z.enum(["never-contacted", "untrusted", "trusted", "changed"]);
export type HostKeyStatus = z.infer<typeof HostKeyStatus>;

export const LastContact = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** SshError kind when it failed (auth-rejected, host-key-changed, ...). */
  kind: z.string().nullable(),
  message: z.string().nullable(),
});

export const NodeSummary = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  username: z.string(),
  authMethod: AuthMethod,
  privilege: PrivilegeKind,
  practice: z.boolean(),
  /** Reached through this node of the inventory (a bastion, ssh -J); null: directly. */
  jumpNodeId: z.string().nullable(),
  jumpNodeName: z.string().nullable(),
  hostKeyStatus: HostKeyStatus,
  hostKey: TrustedHostKey.nullable(),
  /** The offered key that is not trusted (first contact or changed). */
  offeredHostKey: HostKeyView.extend({ seenAt: z.string() }).nullable(),
  lastContact: LastContact.nullable(),
  /** Which secrets are stored (never their values). */
  secrets: z.object({ privateKey: z.boolean(), passphrase: z.boolean(), password: z.boolean(), sudoPassword: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NodeSummary = z.infer<typeof NodeSummary>;

export const NodeList = z.object({ nodes: z.array(NodeSummary) });
export type NodeList = z.infer<typeof NodeList>;

export const NodeDetail = z.object({ node: NodeSummary, facts: HostFacts.nullable() });
export type NodeDetail = z.infer<typeof NodeDetail>;

/** OpenSSH ("-----BEGIN OPENSSH PRIVATE KEY-----") or PEM (RSA/EC/PKCS#8) private keys: lines of text. */
export const privateKeyText = z
  .string()
  .max(16_384, "a private key is at most 16 KiB")
  .refine((s) => /-----BEGIN (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----/.test(s), "must be an OpenSSH or PEM private key (-----BEGIN ... PRIVATE KEY-----)")
  .refine((s) => hasNoControl(s.replace(/\r?\n/g, "")), "must not contain control characters other than line breaks");

/** Authentication as submitted. On edit, an omitted secret keeps the stored one. */
export const AuthInput = z.discriminatedUnion("method", [
  z.object({ method: z.literal("key"), privateKey: privateKeyText.optional(), passphrase: z.string().max(256, "at most 256 characters").refine(hasNoControl, "must not contain control characters (newline, NUL, escape)").optional() }).strict(),
  z.object({ method: z.literal("password"), password: secretText("the password").optional() }).strict(),
  z.object({ method: z.literal("dashboard-key") }).strict(),
]);
export type AuthInput = z.infer<typeof AuthInput>;

export const PrivilegeInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("root") }).strict(),
  z.object({ kind: z.literal("sudo-nopasswd") }).strict(),
  z.object({ kind: z.literal("sudo-password"), password: secretText("the sudo password").optional() }).strict(),
]);
export type PrivilegeInput = z.infer<typeof PrivilegeInput>;

/** Brackets are how people write IPv6 next to a port; store the bare address. */
const address = z.preprocess((v) => (typeof v === "string" ? v.trim().replace(/^\[(.*)\]$/, "$1") : v), hostAddress);

export const NodeInput = z.object({
  name: nodeName,
  address,
  port: port.default(22),
  username: unixUser.or(z.literal("root")),
  auth: AuthInput,
  privilege: PrivilegeInput,
  /** Another node to reach this one through (its id); null or omitted: directly. */
  jumpNodeId: z.string().max(64).nullable().optional(),
}).strict();
export type NodeInput = z.input<typeof NodeInput>;

/** A new node must carry the secrets its methods need. */
export const NewNodeInput = NodeInput.superRefine((n, ctx) => {
  if (n.auth.method === "key" && !n.auth.privateKey) ctx.addIssue({ code: "custom", path: ["auth", "privateKey"], message: "paste or upload the private key" });
  if (n.auth.method === "password" && !n.auth.password) ctx.addIssue({ code: "custom", path: ["auth", "password"], message: "enter the password" });
  if (n.privilege.kind === "sudo-password" && !n.privilege.password)
    ctx.addIssue({ code: "custom", path: ["privilege", "password"], message: "enter the sudo password" });
});

export const HostKeyDecision = z.object({
  /** trust: first contact; replace: the pinned key changed and the admin accepts the new one. */
  action: z.enum(["trust", "replace"]),
  /** The SHA256 fingerprint the admin saw: the server refuses if the offered key differs by now. */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "must be a SHA256 fingerprint as ssh-keygen -lf prints it"),
}).strict();
export type HostKeyDecision = z.infer<typeof HostKeyDecision>;

export const ContactResult = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    /** The login user, and who commands "as root" run as (root when privilege works). */
    loginUser: z.string(),
    rootUser: z.string(),
    durationMs: z.number(),
    facts: HostFacts,
  }),
  z.object({
    ok: z.literal(false),
    kind: z.string(),
    message: z.string(),
    offered: HostKeyView.nullable(),
    expected: HostKeyView.nullable(),
  }),
]);
export type ContactResult = z.infer<typeof ContactResult>;

export const DashboardKey = z.object({ publicKey: z.string(), fingerprint: z.string(), keygen: z.string() });
export type DashboardKey = z.infer<typeof DashboardKey>;

export const NodeIdParams = z.object({ id: z.uuid("must be a node id") });
