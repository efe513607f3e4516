import { AttemptParams } from "@/lib/contracts/training";
import { json, route } from "@/server/http/route";
import { training } from "@/server/training";

/** "Check my work": grade the node in the background (with a reboot where the scenario says so). */
export const POST = route({ role: "trainee", params: AttemptParams }, ({ params, user }) => {
  training().check(user, params.attemptId);
  return json({ attemptId: params.attemptId }, { status: 202 });
});
