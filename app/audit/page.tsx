import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditView } from "@/components/audit/audit-view";
import { requirePageRole } from "@/server/auth/current";

export const metadata: Metadata = { title: "Audit · nodeprep" };
export const dynamic = "force-dynamic";

export default async function AuditPage() {
  const session = await requirePageRole("admin", "/audit");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Audit log</h1>
      <p className="text-sm text-slate-700">
        Every command run on a host, every sign-in and failure, every host-key decision and every node and user change.
        Append-only.
      </p>
      {session ? (
        <Suspense>
          <AuditView />
        </Suspense>
      ) : (
        <p role="alert" className="text-slate-700">Only admins read the audit log.</p>
      )}
    </div>
  );
}
