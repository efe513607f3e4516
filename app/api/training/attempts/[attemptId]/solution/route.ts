import { AttemptParams } from "@/lib/contracts/training";
import { json, route } from "@/server/http/route";
import { training } from "@/server/training";

/** Show the solution (counted in the trainee's progress). */
export const POST = route({ role: "trainee", params: AttemptParams }, ({ params, user }) => json(training().solution(user, params.attemptId)));
