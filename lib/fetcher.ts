import type { z } from "zod";
import { ApiError, ApiErrorBody } from "./api-error";

/** fetch + parse with a zod schema; non-2xx answers become ApiError with the server's message. */
export async function fetchJson<T extends z.ZodType>(schema: T, url: string, init?: RequestInit): Promise<z.infer<T>> {
  const res = await fetch(url, {
    ...init,
    headers: { ...(init?.body ? { "content-type": "application/json" } : {}), ...init?.headers },
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const body = ApiErrorBody.safeParse(json);
    throw new ApiError(res.status, body.success ? body.data : { error: `${res.status} ${res.statusText}`, code: "http" });
  }
  return schema.parse(json);
}
