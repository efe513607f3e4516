import { z } from "zod";
import { Catalog, ProgressList } from "../contracts/catalog";
import { CreateRunAnswer, RunDetail, RunEvent, RunList, type ContinueRunBody, type CreateRunBody } from "../contracts/runs";
import { fetchJson } from "../fetcher";

export const runsApi = {
  list: () => fetchJson(RunList, "/api/runs"),
  get: (id: string) => fetchJson(RunDetail, `/api/runs/${encodeURIComponent(id)}`),
  start: (body: CreateRunBody) => fetchJson(CreateRunAnswer, "/api/runs", { method: "POST", body: JSON.stringify(body) }),
  cancel: (id: string) => fetchJson(z.object({ runId: z.string() }), `/api/runs/${encodeURIComponent(id)}/cancel`, { method: "POST" }),
  /** Continue a rolling run waiting after batch `afterBatch` (its canary, or a pause). */
  continue: (id: string, body: ContinueRunBody) =>
    fetchJson(z.object({ runId: z.string() }), `/api/runs/${encodeURIComponent(id)}/continue`, { method: "POST", body: JSON.stringify(body) }),
  eventsUrl: (id: string) => `/api/runs/${encodeURIComponent(id)}/events`,
  /** One SSE `data:` payload, checked at the boundary. */
  parseEvent: (data: string) => RunEvent.parse(JSON.parse(data)),
};

export const catalogApi = {
  steps: () => fetchJson(Catalog, "/api/catalog"),
  progress: (nodeIds: readonly string[]) =>
    fetchJson(ProgressList, `/api/catalog/progress?nodeIds=${encodeURIComponent(nodeIds.join(","))}`),
};
