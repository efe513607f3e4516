import type { Metadata } from "next";
import { UsersView } from "@/components/users/users-view";
import { requirePageRole } from "@/server/auth/current";

export const metadata: Metadata = { title: "Users · nodeprep" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const session = await requirePageRole("admin", "/users");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Users</h1>
      {session ? (
        <UsersView selfId={session.user.id} />
      ) : (
        <p role="alert" className="text-slate-700">Only admins manage users.</p>
      )}
    </div>
  );
}
