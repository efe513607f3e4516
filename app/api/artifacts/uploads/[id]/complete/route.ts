import { UploadIdParams } from "@/lib/contracts/artifacts";
import { recordAudit } from "@/server/audit/record";
import { completeUpload } from "@/server/artifacts/uploads";
import { db } from "@/server/db";
import { json, route } from "@/server/http/route";

/** Verify the uploaded file against the release list's sha256; only a match enters the cache (422 names both sums). */
export const POST = route({ role: "operator", params: UploadIdParams }, async ({ params, user }) => {
  try {
    const done = await completeUpload(params.id);
    recordAudit(db(), { actor: user.name, action: "artifact-cached", detail: { file: done.artifact.file, sha256: done.sha256, size: done.size, origin: "upload" } });
    return json({ file: done.artifact.file, sha256: done.sha256, size: done.size }, { status: 201 });
  } catch (error) {
    recordAudit(db(), { actor: user.name, action: "artifact-upload-refused", detail: { upload: params.id, reason: (error as Error).message } });
    throw error;
  }
});
