import { FetchBody } from "@/lib/contracts/artifacts";
import { recordAudit } from "@/server/audit/record";
import { resolveAction } from "@/server/artifacts/apply";
import { downloadToCache } from "@/server/artifacts/cache";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";

/** The dashboard downloads a release file into its cache (for hosts without internet), verifying its sha256. */
export const POST = route({ role: "operator", body: FetchBody }, async ({ req, body, user }) => {
  const artifact = resolveAction(body);
  const file = artifact.file;
  const stored = await downloadToCache(artifact, { signal: req.signal });
  recordAudit(db(), { actor: user.name, action: "artifact-cached", detail: { file, sha256: stored.sha256, size: stored.size, origin: "download" } });
  return json({ file, sha256: stored.sha256, size: stored.size }, { status: 201 });
});
