import { AssignNodeBody, TraineeParams } from "@/lib/contracts/training";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { practice } from "@/server/practice";
import { assignPracticeNode } from "@/server/training/trainees";

/** Give a trainee another practice node ("auto", an id) or none. */
export const PATCH = route({ role: "trainer", params: TraineeParams, body: AssignNodeBody }, ({ params, body, user }) =>
  json(assignPracticeNode(db(), practice(), user, params.userId, body.node)),
);
