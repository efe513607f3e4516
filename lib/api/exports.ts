import { ApiError, ApiErrorBody } from "../api-error";
import type { AnsibleExportBody } from "../contracts/exports";

export const exportsApi = {
  /** The playbook archive as a Blob (the browser saves it); a refusal is an ApiError with the server's message. */
  ansible: async (body: AnsibleExportBody): Promise<{ blob: Blob; name: string }> => {
    const res = await fetch("/api/exports/ansible", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) {
      const parsed = ApiErrorBody.safeParse(await res.json().catch(() => null));
      throw new ApiError(res.status, parsed.success ? parsed.data : { error: `${res.status} ${res.statusText}`, code: "http" });
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "nodeprep-ansible.tar.gz";
    return { blob: await res.blob(), name };
  },
};
