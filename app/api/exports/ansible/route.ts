import { Readable } from "node:stream";
import { AnsibleExportBody } from "@/lib/contracts/exports";
import { db } from "@/server/db";
import { exportAnsible } from "@/server/export/ansible";
import { route } from "@/server/http/route";

export const dynamic = "force-dynamic";

/**
 * The wizard's plan as an Ansible playbook + role (.tar.gz). POST because the selection (steps,
 * versions, delivery, nodes) is a body; the answer is the file itself, streamed.
 */
export const POST = route({ role: "viewer", body: AnsibleExportBody }, ({ body, user }) => {
  const { name, stream } = exportAnsible(db(), body, user.name);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: { "content-type": "application/gzip", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
});
