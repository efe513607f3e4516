import { ScenarioParams } from "@/lib/contracts/training";
import { json, route } from "@/server/http/route";
import { training } from "@/server/training";

export const dynamic = "force-dynamic";

/** One scenario: its intro and objectives, the user's latest attempt, and the node it would run on. */
export const GET = route({ role: "trainee", params: ScenarioParams }, ({ params, user }) => json(training().detail(user, params.scenarioId)));
