import { CreateTraineeBody } from "@/lib/contracts/training";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";
import { practice } from "@/server/practice";
import { createTrainee, listTrainees } from "@/server/training/trainees";

export const dynamic = "force-dynamic";

export const GET = route({ role: "trainer" }, () => json({ trainees: listTrainees(db()) }));

/** A trainee with a practice node: one named, "auto" (a free one, or a new one started for them) or none. */
export const POST = route({ role: "trainer", body: CreateTraineeBody }, async ({ body, user }) =>
  json(await createTrainee(db(), practice(), user, body), { status: 201 }),
);
