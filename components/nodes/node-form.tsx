"use client";
import { useId, useState, type ReactNode } from "react";
import { ApiError } from "@/lib/api-error";
import { NewNodeInput, NodeInput, type AuthMethod, type NodeSummary, type PrivilegeKind } from "@/lib/contracts/nodes";
import { useNodes } from "./use-nodes";

type Errors = Record<string, string>;

export interface NodeFormProps {
  /** Editing an existing node: secrets left empty are kept. */
  node?: NodeSummary;
  submitLabel: string;
  onSubmit: (input: NodeInput) => Promise<unknown>;
  onCancel?: () => void;
}

function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

const input = "w-full rounded border border-slate-300 px-2 py-1.5 text-sm aria-[invalid=true]:border-red-600";

export function NodeForm({ node, submitLabel, onSubmit, onCancel }: NodeFormProps) {
  const uid = useId();
  const id = (name: string) => `${uid}-${name}`;
  const [name, setName] = useState(node?.name ?? "");
  const [address, setAddress] = useState(node?.address ?? "");
  const [port, setPort] = useState(String(node?.port ?? 22));
  const [username, setUsername] = useState(node?.username ?? "");
  const [method, setMethod] = useState<AuthMethod>(node?.authMethod ?? "key");
  const [privateKey, setPrivateKey] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [password, setPassword] = useState("");
  const [privilege, setPrivilege] = useState<PrivilegeKind>(node?.privilege ?? "sudo-nopasswd");
  const [sudoPassword, setSudoPassword] = useState("");
  const [jumpNodeId, setJumpNodeId] = useState(node?.jumpNodeId ?? "");
  // A jump host is reached directly itself (one hop), and is never the node being edited.
  const allNodes = useNodes().data?.nodes ?? [];
  const jumpCandidates = allNodes.filter((n) => n.id !== node?.id && !n.jumpNodeId);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const a11y = (field: string, hint = false) => ({
    id: id(field),
    "aria-invalid": errors[field] ? true : undefined,
    "aria-describedby": [errors[field] ? `${id(field)}-error` : null, hint ? `${id(field)}-hint` : null].filter(Boolean).join(" ") || undefined,
  });

  const build = (): NodeInput => ({
    name: name.trim(),
    address: address.trim(),
    port: port.trim() === "" ? Number.NaN : Number(port),
    username: username.trim(),
    auth:
      method === "key"
        ? { method, ...(privateKey ? { privateKey } : {}), ...(passphrase ? { passphrase } : {}) }
        : method === "password"
          ? { method, ...(password ? { password } : {}) }
          : { method },
    privilege: privilege === "sudo-password" ? { kind: privilege, ...(sudoPassword ? { password: sudoPassword } : {}) } : { kind: privilege },
    jumpNodeId: jumpNodeId || null,
  });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const value = build();
    // Editing: an empty secret keeps the stored one, unless there is none for the new method.
    const schema = node ? NodeInput : NewNodeInput;
    const parsed = schema.safeParse(value);
    const next: Errors = {};
    if (!parsed.success) for (const issue of parsed.error.issues) next[issue.path.join(".")] ??= issue.message;
    if (node) {
      if (method === "key" && !privateKey && !node.secrets.privateKey) next["auth.privateKey"] = "paste or upload the private key";
      if (method === "password" && !password && !node.secrets.password) next["auth.password"] = "enter the password";
      if (privilege === "sudo-password" && !sudoPassword && !node.secrets.sudoPassword) next["privilege.password"] = "enter the sudo password";
    }
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(id(Object.keys(next)[0]))?.focus();
      return;
    }
    setBusy(true);
    try {
      await onSubmit(value);
    } catch (error) {
      if (error instanceof ApiError && error.body.field) {
        setErrors({ [error.body.field]: error.body.error.replace(/^[\w.]+: /, "") });
        document.getElementById(id(error.body.field))?.focus();
      } else setFormError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const readKeyFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 16_384) return setErrors((e) => ({ ...e, "auth.privateKey": "that file is too large to be a private key" }));
    setPrivateKey(await file.text());
  };

  const keep = (stored: boolean) => (node && stored ? "Leave empty to keep the stored one." : undefined);

  return (
    <form onSubmit={submit} noValidate className="space-y-4 rounded border border-slate-200 bg-white p-4" aria-label={submitLabel}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("name")} label="Name" error={errors.name}>
          <input {...a11y("name")} className={input} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field id={id("username")} label="User" error={errors.username}>
          <input {...a11y("username")} className={input} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
        </Field>
        <Field id={id("address")} label="Address" error={errors.address} hint="Host name, IPv4 or IPv6 address.">
          <input {...a11y("address", true)} className={input} value={address} onChange={(e) => setAddress(e.target.value)} autoComplete="off" />
        </Field>
        <Field id={id("port")} label="SSH port" error={errors.port}>
          <input {...a11y("port")} className={input} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
        </Field>
        <Field
          id={id("jumpNodeId")}
          label="Jump host"
          error={errors.jumpNodeId}
          hint="Reach this node through another node (a bastion, like ssh -J). The address and port are then as the jump host sees them."
        >
          <select {...a11y("jumpNodeId", true)} className={input} value={jumpNodeId} onChange={(e) => setJumpNodeId(e.target.value)}>
            <option value="">Directly (no jump host)</option>
            {jumpCandidates.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({n.username}@{n.address}:{n.port})
              </option>
            ))}
          </select>
        </Field>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Authentication</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(
            [
              ["key", "Private key"],
              ["password", "Password"],
              ["dashboard-key", "The dashboard's key"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-1.5">
              <input type="radio" name={id("auth")} value={value} checked={method === value} onChange={() => setMethod(value)} />
              {label}
            </label>
          ))}
        </div>
        {method === "key" && (
          <>
            <Field id={id("auth.privateKey")} label="Private key" error={errors["auth.privateKey"]} hint={keep(!!node?.secrets.privateKey) ?? "OpenSSH or PEM format. It is encrypted at rest and never shown again."}>
              <textarea
                {...a11y("auth.privateKey", true)}
                className={`${input} font-mono text-xs`}
                rows={4}
                value={privateKey}
                onChange={(e) => setPrivateKey(e.target.value)}
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                spellCheck={false}
              />
            </Field>
            <div className="space-y-1">
              <label htmlFor={id("keyfile")} className="block text-sm font-medium">
                …or upload a key file
              </label>
              <input id={id("keyfile")} type="file" className="text-sm" onChange={(e) => readKeyFile(e.target.files?.[0])} />
            </div>
            <Field id={id("auth.passphrase")} label="Key passphrase (if the key has one)" error={errors["auth.passphrase"]} hint={keep(!!node?.secrets.passphrase)}>
              <input {...a11y("auth.passphrase", !!keep(!!node?.secrets.passphrase))} type="password" className={input} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
            </Field>
          </>
        )}
        {method === "password" && (
          <Field id={id("auth.password")} label="Password" error={errors["auth.password"]} hint={keep(!!node?.secrets.password)}>
            <input {...a11y("auth.password", !!keep(!!node?.secrets.password))} type="password" className={input} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
          </Field>
        )}
        {method === "dashboard-key" && (
          <p className="text-sm text-slate-700">The host must list the dashboard&apos;s public key (shown on the Nodes page) in the user&apos;s authorized_keys.</p>
        )}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Running commands as root</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(
            [
              ["root", "Log in as root"],
              ["sudo-nopasswd", "sudo without a password"],
              ["sudo-password", "sudo with a password"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-1.5">
              <input type="radio" name={id("privilege")} value={value} checked={privilege === value} onChange={() => setPrivilege(value)} />
              {label}
            </label>
          ))}
        </div>
        {privilege === "sudo-password" && (
          <Field id={id("privilege.password")} label="sudo password" error={errors["privilege.password"]} hint={keep(!!node?.secrets.sudoPassword) ?? "Sent to sudo on its standard input, never on a command line."}>
            <input {...a11y("privilege.password", true)} type="password" className={input} value={sudoPassword} onChange={(e) => setSudoPassword(e.target.value)} autoComplete="off" />
          </Field>
        )}
      </fieldset>

      {formError && (
        <p role="alert" className="text-sm text-red-700">
          {formError}
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="sr-only">
          {Object.keys(errors).length} field(s) need attention.
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={busy} className="rounded bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60">
          {busy ? "Saving…" : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} className="rounded border border-slate-300 px-4 py-1.5 text-sm hover:bg-slate-100">
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
