import { PracticeActionBody, PracticeNodeParams } from "@/lib/contracts/practice";
import { json, route } from "@/server/http/route";
import { practice } from "@/server/practice";

/**
 * Start, stop or reset a practice node: 202 with the operation (GET /api/practice shows its phases).
 * Trainers and admins: any practice node; a trainee: reset (or start) their own.
 */
export const POST = route({ role: "trainee", params: PracticeNodeParams, body: PracticeActionBody }, ({ params, body, user }) => {
  const { opId, number } = practice().act(user, params.nodeId, body.action);
  return json({ opId, number }, { status: 202 });
});
