import { SelfCheckAnswerBody, SelfCheckParams } from "@/lib/contracts/training";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { answerSelfCheck, selfCheckView } from "@/server/training/self-checks";

export const dynamic = "force-dynamic";

/** The questions (never which answer is right) and the user's last answers, judged. */
export const GET = route({ role: "trainee", params: SelfCheckParams }, ({ params, user }) => json(selfCheckView(db(), user.id, params.checkId)));

/** Answer every question: each answer judged and explained, and kept in the user's progress. */
export const POST = route({ role: "trainee", params: SelfCheckParams, body: SelfCheckAnswerBody }, ({ params, body, user }) =>
  json(answerSelfCheck(db(), user.id, params.checkId, body.answers)),
);
