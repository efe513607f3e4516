import { AttemptParams } from "@/lib/contracts/training";
import { json, route } from "@/server/http/route";
import { training } from "@/server/training";

/** Open the next hint (counted in the trainee's progress). */
export const POST = route({ role: "trainee", params: AttemptParams }, ({ params, user }) => json(training().hint(user, params.attemptId)));
