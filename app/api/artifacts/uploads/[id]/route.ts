import { UploadChunkQuery, UploadIdParams } from "@/lib/contracts/artifacts";
import { asHttp } from "@/server/artifacts/http";
import { appendUpload, UPLOAD_CHUNK_BYTES } from "@/server/artifacts/uploads";
import { HttpError } from "@/server/http/errors";
import { json, route } from "@/server/http/route";

/** Read the raw chunk, never more than one chunk's worth (route() already refused a larger declared length). */
async function readChunk(req: Request): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > UPLOAD_CHUNK_BYTES) {
      await reader.cancel();
      throw new HttpError(413, "too_large", `an upload chunk is at most ${UPLOAD_CHUNK_BYTES} bytes`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/** `PUT /api/artifacts/uploads/:id?offset=N`, body = the next bytes of the file. */
export const PUT = route({ role: "operator", params: UploadIdParams, query: UploadChunkQuery }, async ({ req, params, query }) => {
  const chunk = await readChunk(req);
  return json(await asHttp(() => appendUpload(params.id, query.offset, chunk)));
});
