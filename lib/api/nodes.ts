import { z } from "zod";
import { ContactResult, DashboardKey, NodeDetail, NodeList, NodeSummary, type HostKeyDecision, type NodeInput } from "../contracts/nodes";
import { NodeReport } from "../contracts/report";
import { fetchJson } from "../fetcher";

const NodeAnswer = z.object({ node: NodeSummary });
const body = (data: unknown) => JSON.stringify(data);

export const nodesApi = {
  list: () => fetchJson(NodeList, "/api/nodes"),
  get: (id: string) => fetchJson(NodeDetail, `/api/nodes/${encodeURIComponent(id)}`),
  create: (input: NodeInput) => fetchJson(NodeAnswer, "/api/nodes", { method: "POST", body: body(input) }),
  update: (id: string, input: NodeInput) => fetchJson(NodeAnswer, `/api/nodes/${encodeURIComponent(id)}`, { method: "PATCH", body: body(input) }),
  remove: (id: string) => fetchJson(z.null(), `/api/nodes/${encodeURIComponent(id)}`, { method: "DELETE" }),
  test: (id: string) => fetchJson(ContactResult, `/api/nodes/${encodeURIComponent(id)}/test`, { method: "POST" }),
  refreshFacts: (id: string) => fetchJson(ContactResult, `/api/nodes/${encodeURIComponent(id)}/facts`, { method: "POST" }),
  decideHostKey: (id: string, decision: HostKeyDecision) =>
    fetchJson(NodeAnswer, `/api/nodes/${encodeURIComponent(id)}/host-key`, { method: "POST", body: body(decision) }),
  dashboardKey: () => fetchJson(DashboardKey, "/api/nodes/dashboard-key"),
  report: (id: string) => fetchJson(NodeReport, `/api/nodes/${encodeURIComponent(id)}/report`),
  /** The same report as a Markdown file (a download link, not a fetch). */
  reportUrl: (id: string, format: "json" | "md") => `/api/nodes/${encodeURIComponent(id)}/report?format=${format}`,
};
