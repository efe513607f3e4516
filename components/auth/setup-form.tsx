"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { authApi } from "@/lib/api/auth";

export function SetupForm({ token }: { token: string }) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const setup = useMutation({
    mutationFn: authApi.setup,
    onSuccess: () => window.location.assign(new URL("/users", window.location.href)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password === confirm) setup.mutate({ token, name, password });
  };
  const input = "w-full rounded border border-slate-300 px-3 py-2";
  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create the first admin">
      <label className="block space-y-1">
        <span className="text-sm font-medium">Admin name</span>
        <input name="name" autoComplete="username" required maxLength={32} pattern="[a-z0-9][a-z0-9._\-]*" value={name} onChange={(e) => setName(e.target.value)} className={input} />
        <span className="block text-xs text-slate-600">lowercase letters, digits, &apos;.&apos;, &apos;-&apos; and &apos;_&apos;</span>
      </label>
      <label className="block space-y-1">
        <span className="text-sm font-medium">Password</span>
        <input name="password" type="password" autoComplete="new-password" required minLength={12} maxLength={256} value={password} onChange={(e) => setPassword(e.target.value)} className={input} />
        <span className="block text-xs text-slate-600">at least 12 characters</span>
      </label>
      <label className="block space-y-1">
        <span className="text-sm font-medium">Password again</span>
        <input name="confirm" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} className={input} />
      </label>
      {(mismatch || setup.error) && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {mismatch ? "the two passwords differ" : setup.error?.message}
        </p>
      )}
      <button type="submit" disabled={setup.isPending} className="w-full rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60">
        Create admin and sign in
      </button>
    </form>
  );
}
