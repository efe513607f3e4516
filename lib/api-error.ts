import { z } from "zod";

/** Every API error body has this shape; `field` names the offending input on a 400. */
export const ApiErrorBody = z.object({
  error: z.string(),
  code: z.string(),
  field: z.string().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error);
  }
}
