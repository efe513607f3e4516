import {
  AttemptAnswer,
  AttemptView,
  ProgressTable,
  ScenarioDetail,
  ScenarioList,
  SelfCheckResult,
  SelfCheckView,
  TraineeAnswer,
  TraineeList,
  type CreateTraineeBody,
} from "../contracts/training";
import { fetchJson } from "../fetcher";

const enc = encodeURIComponent;
const post = (body?: unknown): RequestInit => ({ method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

export const trainingApi = {
  scenarios: () => fetchJson(ScenarioList, "/api/training/scenarios"),
  scenario: (id: string) => fetchJson(ScenarioDetail, `/api/training/scenarios/${enc(id)}`),
  start: (scenarioId: string, nodeId?: string) => fetchJson(AttemptAnswer, `/api/training/scenarios/${enc(scenarioId)}/attempts`, post(nodeId ? { nodeId } : {})),
  attempt: (id: string) => fetchJson(AttemptView, `/api/training/attempts/${enc(id)}`),
  check: (id: string) => fetchJson(AttemptAnswer, `/api/training/attempts/${enc(id)}/check`, post()),
  hint: (id: string) => fetchJson(AttemptView, `/api/training/attempts/${enc(id)}/hints`, post()),
  solution: (id: string) => fetchJson(AttemptView, `/api/training/attempts/${enc(id)}/solution`, post()),
  trainees: () => fetchJson(TraineeList, "/api/training/trainees"),
  createTrainee: (body: CreateTraineeBody) => fetchJson(TraineeAnswer, "/api/training/trainees", post(body)),
  assign: (userId: string, node: string | "auto" | null) =>
    fetchJson(TraineeAnswer, `/api/training/trainees/${enc(userId)}`, { method: "PATCH", body: JSON.stringify({ node }) }),
  progress: () => fetchJson(ProgressTable, "/api/training/progress"),
  exportUrl: "/api/training/progress/export?format=csv",
  selfCheck: (id: string) => fetchJson(SelfCheckView, `/api/training/self-checks/${enc(id)}`),
  answerSelfCheck: (id: string, answers: Record<string, number>) => fetchJson(SelfCheckResult, `/api/training/self-checks/${enc(id)}`, post({ answers })),
};
