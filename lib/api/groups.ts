import { z } from "zod";
import { GroupList, GroupSummary, type GroupInput } from "../contracts/groups";
import { fetchJson } from "../fetcher";

const GroupAnswer = z.object({ group: GroupSummary });

export const groupsApi = {
  list: () => fetchJson(GroupList, "/api/groups"),
  create: (input: GroupInput) => fetchJson(GroupAnswer, "/api/groups", { method: "POST", body: JSON.stringify(input) }),
  update: (id: string, input: GroupInput) => fetchJson(GroupAnswer, `/api/groups/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(input) }),
  remove: (id: string) => fetchJson(z.null(), `/api/groups/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
