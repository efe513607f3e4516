import { UploadBeginBody } from "@/lib/contracts/artifacts";
import { beginUpload } from "@/server/artifacts/uploads";
import { json, route } from "@/server/http/route";

/** Start an operator upload into the artifact cache; the file then arrives in chunks (route() caps bodies at 1 MB). */
export const POST = route({ role: "operator", body: UploadBeginBody }, async ({ body, user }) => {
  const begun = await beginUpload(body.artifactId, body.size, user.name);
  return json({ uploadId: begun.uploadId, chunkBytes: begun.chunkBytes, file: begun.artifact.file }, { status: 201 });
});
