"use client";
import { useState, type FormEvent } from "react";
import { ROLES, roleLabels, type Role, type User } from "@/lib/contracts/auth";
import { useUserMutations, useUsers } from "./use-users";

const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";
const button = "rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50";

export function UsersView({ selfId }: { selfId: string }) {
  const { data, error, isPending } = useUsers();
  const { update, remove } = useUserMutations();
  const failure = update.error ?? remove.error;
  return (
    <div className="space-y-6">
      <AddUserForm />
      {failure && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {failure.message}
        </p>
      )}
      {isPending && <p className="text-slate-600">Loading users…</p>}
      {error && <p role="alert" className="text-red-700">Could not load users: {error.message}</p>}
      {data && (
        <table className="w-full border-collapse rounded border border-slate-200 bg-white text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="p-2">Name</th>
              <th scope="col" className="p-2">Role</th>
              <th scope="col" className="p-2">Status</th>
              <th scope="col" className="p-2">Last sign-in</th>
              <th scope="col" className="p-2">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.users.map((u) => (
              <UserRow key={u.id} user={u} self={u.id === selfId} busy={update.isPending || remove.isPending}
                onRole={(role) => update.mutate({ id: u.id, body: { role } })}
                onDisabled={(disabled) => update.mutate({ id: u.id, body: { disabled } })}
                onPassword={(password) => update.mutate({ id: u.id, body: { password } })}
                onDelete={() => remove.mutate(u.id)}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function UserRow(props: {
  user: User;
  self: boolean;
  busy: boolean;
  onRole: (role: Role) => void;
  onDisabled: (disabled: boolean) => void;
  onPassword: (password: string) => void;
  onDelete: () => void;
}) {
  const { user, self, busy } = props;
  const [password, setPassword] = useState("");
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <tr className="border-t border-slate-200 align-top">
      <td className="p-2 font-medium">
        {user.name}
        {self && <span className="ml-2 text-xs text-slate-500">(you)</span>}
      </td>
      <td className="p-2">
        <select aria-label={`Role of ${user.name}`} value={user.role} disabled={self || busy} onChange={(e) => props.onRole(e.target.value as Role)} className={input}>
          {ROLES.map((r) => (
            <option key={r} value={r}>{r}</option>
          ))}
        </select>
      </td>
      <td className="p-2">{user.disabled ? "disabled" : "active"}</td>
      <td className="p-2 font-mono text-xs">{user.lastSignInAt ?? "never"}</td>
      <td className="space-y-2 p-2">
        <form
          className="flex gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            props.onPassword(password);
            setPassword("");
          }}
        >
          <input type="password" aria-label={`New password for ${user.name}`} placeholder="new password" minLength={12} maxLength={256} required autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={`${input} w-40`} />
          <button type="submit" disabled={busy} className={button}>Set password</button>
        </form>
        {!self && (
          <div className="flex gap-1">
            <button type="button" disabled={busy} className={button} onClick={() => props.onDisabled(!user.disabled)}>
              {user.disabled ? "Enable" : "Disable"}
            </button>
            {confirmDelete ? (
              <button type="button" disabled={busy} className={`${button} border-red-300 text-red-800`} onClick={props.onDelete}>
                Really delete {user.name}
              </button>
            ) : (
              <button type="button" disabled={busy} className={button} onClick={() => setConfirmDelete(true)}>Delete</button>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

function AddUserForm() {
  const { create } = useUserMutations();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, role, password }, { onSuccess: () => (setName(""), setPassword("")) });
  };
  return (
    <form onSubmit={submit} aria-label="Add a user" className="space-y-3 rounded border border-slate-200 bg-white p-4">
      <h2 className="font-semibold">Add a user</h2>
      <div className="flex flex-wrap items-end gap-3">
        <label className="space-y-1">
          <span className="block text-sm font-medium">Name</span>
          <input name="name" required maxLength={32} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} className={input} />
        </label>
        <label className="space-y-1">
          <span className="block text-sm font-medium">Role</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} className={input}>
            {ROLES.map((r) => (
              <option key={r} value={r}>{roleLabels[r]}</option>
            ))}
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-sm font-medium">Password</span>
          <input name="password" type="password" required minLength={12} maxLength={256} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={input} />
        </label>
        <button type="submit" disabled={create.isPending} className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
          Add user
        </button>
      </div>
      {create.error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">{create.error.message}</p>
      )}
      {create.isSuccess && <p role="status" className="text-sm text-green-800">Added {create.data.user.name}.</p>}
    </form>
  );
}
