import { UploadChunkQuery, UploadIdParams } from "@/lib/contracts/artifacts";
import { appendUpload, UPLOAD_CHUNK_BYTES } from "@/server/artifacts/uploads";
import { AppError } from "@/server/errors";
import { json, route } from "@/server/http/route";
import { readLimited } from "@/server/util/read-limited";

/** `PUT /api/artifacts/uploads/:id?offset=N`, body = the next bytes of the file. */
export const PUT = route({ role: "operator", params: UploadIdParams, query: UploadChunkQuery }, async ({ req, params, query }) => {
  // Never more than one chunk's worth (route() already refused a larger declared length).
  const chunk = await readLimited(req.body, UPLOAD_CHUNK_BYTES, () => new AppError("too_large", `an upload chunk is at most ${UPLOAD_CHUNK_BYTES} bytes`));
  return json(await appendUpload(params.id, query.offset, chunk));
});
