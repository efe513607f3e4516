import { CheckDetail, DriftList, HealthMatrix, HealthMatrixUpdate, NodeHealth, ScanView, StartScanAnswer, type StartScanBody } from "../contracts/health";
import { fetchJson } from "../fetcher";

export const healthApi = {
  matrix: () => fetchJson(HealthMatrix, "/api/health"),
  matrixSince: (version: number) => fetchJson(HealthMatrixUpdate, `/api/health?since=${version}`),
  scan: (body: Partial<StartScanBody> = {}) => fetchJson(StartScanAnswer, "/api/health/scans", { method: "POST", body: JSON.stringify(body) }),
  scanById: (id: string) => fetchJson(ScanView, `/api/health/scans/${encodeURIComponent(id)}`),
  node: (nodeId: string) => fetchJson(NodeHealth, `/api/health/nodes/${encodeURIComponent(nodeId)}`),
  check: (checkId: number) => fetchJson(CheckDetail, `/api/health/checks/${checkId}`),
  drift: (filter: { open?: boolean; nodeId?: string } = {}) => {
    const q = new URLSearchParams();
    if (filter.open) q.set("open", "1");
    if (filter.nodeId) q.set("nodeId", filter.nodeId);
    return fetchJson(DriftList, `/api/health/drift${q.size ? `?${q}` : ""}`);
  },
};

/** The wizard keeps its position in the URL (/wizard/<step>?nodes=<ids>): open the fixing step with this node selected. */
export const wizardStepHref = (stepId: string, nodeId: string) => `/wizard/${encodeURIComponent(stepId)}?nodes=${encodeURIComponent(nodeId)}`;
