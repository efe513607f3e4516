import { afterEach, describe, expect, it, vi } from "vitest";
import { ArtifactError } from "../artifacts/errors";
import { AppError, ERROR_KINDS, invalidInput } from "../errors";
import { errorResponse } from "./errors";

// The one mapping from errors to answers: route() calls nothing else.

afterEach(() => vi.restoreAllMocks());

const answer = async (error: unknown) => {
  const res = errorResponse(error, "GET /api/x");
  return { status: res.status, body: await res.json() };
};

describe("errorResponse", () => {
  it("answers an AppError with its kind's status, its message and the field it names", async () => {
    expect(await answer(invalidInput("nodeIds", "no node x"))).toEqual({ status: 400, body: { error: "nodeIds: no node x", code: "invalid_input", field: "nodeIds" } });
    expect(await answer(new AppError("last_admin", "one admin must stay"))).toEqual({ status: 409, body: { error: "one admin must stay", code: "last_admin" } });
  });

  it("answers an artifact error with the code its kind names on the wire", async () => {
    expect(await answer(new ArtifactError("unknown-release", "no containerd 9.9"))).toEqual({ status: 404, body: { error: "no containerd 9.9", code: "not_found" } });
    expect(await answer(new ArtifactError("checksum-mismatch", "sha256 differs"))).toMatchObject({ status: 422, body: { code: "checksum_mismatch" } });
  });

  it("answers anything else with a 500 that leaks nothing, and logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await answer(new Error("SQLITE_CORRUPT at /var/lib/secret/path"));
    expect(res).toEqual({ status: 500, body: { error: "internal error (see the server log)", code: "internal" } });
    expect(log).toHaveBeenCalledWith("[api]", "GET /api/x", expect.any(Error));
  });

  it("logs the kinds that are failures, not refused requests", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    await answer(new AppError("forbidden", "needs the admin role"));
    expect(log).not.toHaveBeenCalled();
    await answer(new ArtifactError("download-failed", "502 from the mirror"));
    expect(log).toHaveBeenCalledTimes(1);
  });

  it("every kind is an error status", () => {
    for (const [kind, rule] of Object.entries(ERROR_KINDS)) expect(rule.status >= 400 && rule.status < 600, kind).toBe(true);
  });
});
