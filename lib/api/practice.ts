import { OpAnswer, PracticeOverview, type PracticeOpKind } from "../contracts/practice";
import { fetchJson } from "../fetcher";

export const practiceApi = {
  overview: () => fetchJson(PracticeOverview, "/api/practice"),
  add: () => fetchJson(OpAnswer, "/api/practice/nodes", { method: "POST" }),
  act: (nodeId: string, action: PracticeOpKind) =>
    fetchJson(OpAnswer, `/api/practice/nodes/${encodeURIComponent(nodeId)}`, { method: "POST", body: JSON.stringify({ action }) }),
};
