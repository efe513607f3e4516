import { json, route } from "@/server/http/route";
import { practice } from "@/server/practice";

/** A new practice node (trainers and admins): 202 with the start operation; the Practice page follows it. */
export const POST = route({ role: "trainer" }, ({ user }) => {
  const { opId, number } = practice().add(user);
  return json({ opId, number }, { status: 202 });
});
