import type { Metadata } from "next";
import Link from "next/link";
import { SetupForm } from "@/components/auth/setup-form";
import { setupTokenValid } from "@/server/auth/setup";
import { db } from "@/server/db";

export const metadata: Metadata = { title: "Set up · nodeprep" };
export const dynamic = "force-dynamic";

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const valid = typeof token === "string" && token.length <= 128 && setupTokenValid(db(), token);
  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <h1 className="text-2xl font-bold">Create the first admin</h1>
      {valid ? (
        <>
          <p className="text-sm text-slate-700">
            This one-time link works until an admin exists. The admin adds operators and viewers on the Users page.
          </p>
          <SetupForm token={token} />
        </>
      ) : (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          This setup link is no longer valid: an admin exists already, or the link expired (each start of the dashboard
          prints a new one while there are no users). <Link href="/login" className="underline">Sign in</Link>.
        </p>
      )}
    </div>
  );
}
