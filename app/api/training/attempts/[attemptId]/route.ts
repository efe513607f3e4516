import { AttemptParams } from "@/lib/contracts/training";
import { json, route } from "@/server/http/route";
import { training } from "@/server/training";

export const dynamic = "force-dynamic";

/** An attempt: its phases, last grade (every objective's probe with raw output), hints, solution. Its trainee's, or a trainer's. */
export const GET = route({ role: "trainee", params: AttemptParams }, ({ params, user }) => json(training().attemptView(user, params.attemptId)));
