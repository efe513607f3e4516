import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { safeNextPath } from "@/lib/contracts/auth";
import { currentSession } from "@/server/auth/current";
import { countUsers } from "@/server/auth/users";
import { db } from "@/server/db";

export const metadata: Metadata = { title: "Sign in · nodeprep" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const target = safeNextPath(typeof next === "string" ? next : null);
  if (await currentSession()) redirect(target);
  const noUsers = countUsers(db()) === 0;
  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {noUsers && (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          No users exist yet. Open the one-time setup link printed in the dashboard&apos;s console at start, or run{" "}
          <code className="font-mono">npm run user -- add &lt;name&gt; --role admin</code> on this machine.
        </p>
      )}
      <LoginForm next={target} />
    </div>
  );
}
