import { redirect } from "next/navigation";
import { steps } from "@/server/catalog";

export default async function WizardIndex({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") q.set(k, v);
  redirect(`/wizard/${steps[0].id}${q.size ? `?${q.toString()}` : ""}`);
}
