import type { Metadata } from "next";
import { GroupsView } from "@/components/groups/groups-view";

export const metadata: Metadata = { title: "Groups · nodeprep" };

export default function GroupsPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Groups</h1>
      <p className="text-slate-700">
        Groups of nodes, as in an Ansible inventory: a group holds nodes and other groups. The wizard, the health view and runs select by group.
      </p>
      <GroupsView />
    </div>
  );
}
