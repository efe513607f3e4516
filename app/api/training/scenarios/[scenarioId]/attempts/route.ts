import { ScenarioParams, StartAttemptBody } from "@/lib/contracts/training";
import { json, route } from "@/server/http/route";
import { training } from "@/server/training";

/**
 * Start the scenario: the practice node is reset, broken and checked once, in the background.
 * 202 with the attempt; GET /api/training/attempts/:id follows it. A trainee: on their own node;
 * a trainer: on the practice node they name.
 */
export const POST = route({ role: "trainee", params: ScenarioParams, body: StartAttemptBody }, ({ params, body, user }) => {
  const { attemptId } = training().start(user, params.scenarioId, body.nodeId);
  return json({ attemptId }, { status: 202, headers: { location: `/api/training/attempts/${attemptId}` } });
});
